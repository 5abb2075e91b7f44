package com.orderflow.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Many keep-alive requests from the JDK client on a few connections: every one answered, none lost to framing. */
class KeepAliveStressTest {

    @Test
    void fourClients_manyRequestsEach_everyResponseIsItsOwn() throws Exception {
        var handled = new AtomicInteger();
        Handler echo = request -> {
            handled.incrementAndGet();
            return Response.text(200, new String(request.body(), StandardCharsets.UTF_8));
        };
        try (var server = BlockingHttpServer.start(InetAddress.getLoopbackAddress(), 0, echo, ServerLimits.defaults());
             var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
             var pool = Executors.newFixedThreadPool(4)) {
            var uri = URI.create("http://127.0.0.1:" + server.port() + "/");
            var clients = new ArrayList<Future<?>>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        String body = "{\"client\":" + client + ",\"i\":" + i + ",\"pad\":\"" + "x".repeat(i % 300) + "\"}";
                        var response = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).isEqualTo(200);
                        assertThat(response.body()).isEqualTo(body);
                    }
                    return null;
                }));
            }
            for (var f : clients) {
                f.get();
            }
        }
        assertThat(handled).hasValue(20_000);
    }
}
