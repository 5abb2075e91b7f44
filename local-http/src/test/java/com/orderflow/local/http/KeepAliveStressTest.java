package com.orderflow.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many keep-alive requests on a few connections, headers and body now in one write and now in two: every one
 * answered with its own body, none lost to framing. (Raw sockets: the JDK's HttpClient loses a response now and
 * then to its own pool race, JDK-8357639, against a server this fast.)
 */
class KeepAliveStressTest {

    @Test
    void fourClients_manyRequestsEach_everyResponseIsItsOwn() throws Exception {
        var handled = new AtomicInteger();
        Handler echo = request -> {
            handled.incrementAndGet();
            return Response.text(200, new String(request.body(), StandardCharsets.UTF_8));
        };
        try (var server = BlockingHttpServer.start(InetAddress.getLoopbackAddress(), 0, echo, ServerLimits.defaults());
             var pool = Executors.newFixedThreadPool(4)) {
            var clients = new ArrayList<Future<?>>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    try (var connection = new RawClient(server.port())) {
                        for (int i = 0; i < 5_000; i++) {
                            String body = "{\"client\":" + client + ",\"i\":" + i + ",\"pad\":\"" + "x".repeat(i % 300) + "\"}";
                            String head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                    + "Content-Length: " + body.length() + "\r\n\r\n";
                            if (i % 2 == 0) {
                                connection.send(head + body);
                            } else {
                                connection.send(head).send(body);
                            }
                            var response = connection.read();
                            assertThat(response.status()).isEqualTo(200);
                            assertThat(response.body()).isEqualTo(body);
                        }
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
