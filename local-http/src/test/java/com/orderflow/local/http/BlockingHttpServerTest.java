package com.orderflow.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server as the JDK's HttpClient sees it: requests in, responses out, one kept-alive connection. */
class BlockingHttpServerTest {

    static BlockingHttpServer server;
    static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        server = BlockingHttpServer.start(InetAddress.getLoopbackAddress(), 0, request -> {
            if (request.rawPath().equals("/fail")) {
                throw new IllegalStateException("told to fail");
            }
            return new Echo().handle(request);
        }, ServerLimits.defaults());
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        http.close();
        server.close();
    }

    static URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void post_handsMethodRawPathQueryHeadersAndBodyToTheHandler() throws Exception {
        var response = send(HttpRequest.newBuilder(uri("/orders/a%2Fb?limit=2&next=x%20y"))
                .header("x-PROBE", "case does not matter")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"ü\"}")));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("POST /orders/a%2Fb ?limit=2&next=x%20y\n{\"sku\":\"ü\"}");
        assertThat(response.headers().firstValue("X-Probe-Seen")).contains("case does not matter");
        assertThat(response.headers().firstValue("Content-Length"))
                .contains(Integer.toString(response.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(response.headers().firstValue("Date")).hasValueSatisfying(date -> assertThat(date).endsWith(" GMT"));
    }

    @Test
    void get_withoutQuery_hasNullQueryAndEmptyBody() throws Exception {
        var response = send(HttpRequest.newBuilder(uri("/plain")).GET());

        assertThat(response.body()).isEqualTo("GET /plain ?null\n");
    }

    @Test
    void consecutiveRequests_reuseOneConnection() throws Exception {
        var first = send(HttpRequest.newBuilder(uri("/one")).GET());
        var second = send(HttpRequest.newBuilder(uri("/two")).POST(HttpRequest.BodyPublishers.ofString("x")));
        var third = send(HttpRequest.newBuilder(uri("/three")).GET());

        var port = first.headers().firstValue("X-Remote-Port").orElseThrow();
        assertThat(second.headers().firstValue("X-Remote-Port")).contains(port);
        assertThat(third.headers().firstValue("X-Remote-Port")).contains(port);
    }

    @Test
    void head_getsTheHeadersAndLengthOfTheBody_butNoBody() throws Exception {
        var get = send(HttpRequest.newBuilder(uri("/thing")).GET());
        var head = send(HttpRequest.newBuilder(uri("/thing")).method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).contains("18"); // "HEAD /thing ?null\n"
        assertThat(get.body()).isEqualTo("GET /thing ?null\n");
    }

    @Test
    void handlerThrows_is500_andTheNextRequestStillWorks() throws Exception {
        var failed = send(HttpRequest.newBuilder(uri("/fail")).GET());
        var next = send(HttpRequest.newBuilder(uri("/after")).GET());

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.headers().firstValue("Connection")).contains("close");
        assertThat(next.statusCode()).isEqualTo(200);
    }

    @Test
    void largeBody_inAndOut_arrivesWhole() throws Exception {
        var big = "0123456789abcdef".repeat(40_000); // 640 KB, many reads and segments

        var response = send(HttpRequest.newBuilder(uri("/big")).POST(HttpRequest.BodyPublishers.ofString(big)));

        assertThat(response.body()).isEqualTo("POST /big ?null\n" + big);
    }
}
