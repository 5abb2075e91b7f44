package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import com.orderflow.local.http.RawClient;
import com.orderflow.local.http.RawClient.RawResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every answer of the running stack's API front end is the project's own problem document, whoever gives it (the
 * server refusing what it cannot read, or the API function), never an HTTP server's page; sent on raw sockets,
 * as no well-behaved client would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrontEndAnswersTest {

    /** What every problem of the API carries (RFC 9457 plus the request's id). */
    private static final List<String> PROBLEM_FIELDS = List.of("type", "title", "status", "detail", "correlationId");

    @TempDir
    static Path scratch;

    private RunningStack running;
    private int port;

    @BeforeAll
    void start() {
        running = RunningStack.inMemory(scratch);
        port = running.stack.apiEndpoint().getPort();
    }

    @AfterAll
    void stop() {
        running.close();
    }

    private RawResponse exchange(String request) throws Exception {
        try (var client = new RawClient(port)) {
            return client.send(request).read();
        }
    }

    private static JsonNode problem(RawResponse response, int status) throws Exception {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        // the raw client reads bytes as Latin-1; the body is UTF-8
        var body = Json.mapper().readTree(response.body().getBytes(StandardCharsets.ISO_8859_1));
        var fields = new ArrayList<String>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsAll(PROBLEM_FIELDS);
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertThat(body.path("correlationId").asText()).isEqualTo(response.header("x-amzn-RequestId"));
        return body;
    }

    @Test
    void aContentLengthThatIsNotANumber_is400Problem() throws Exception {
        var response = exchange("POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 12abc\r\n\r\n{}");

        var body = problem(response, 400);
        assertThat(body.path("title").asText()).isEqualTo("Bad Request");
        assertThat(body.path("detail").asText()).contains("Content-Length");
    }

    @Test
    void twoContentLengthsThatDisagree_is400Problem() throws Exception {
        var response = exchange("POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n"
                + "Content-Length: 3\r\n\r\n{}");

        problem(response, 400);
    }

    @Test
    void aDeclaredBodyOverTenMegabytes_is413Problem_beforeItIsSent() throws Exception {
        var response = exchange("POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: 10485761\r\n\r\n");

        var body = problem(response, 413);
        assertThat(body.path("detail").asText()).contains("10485760");
    }

    @Test
    void aChunkedBodyOverTenMegabytes_is413Problem() throws Exception {
        var response = exchange("POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\nA00001\r\n");

        problem(response, 413);
    }

    @Test
    void headerFieldsOverTheLimit_is431Problem() throws Exception {
        var response = exchange("GET /orders HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");

        var body = problem(response, 431);
        assertThat(body.path("title").asText()).isEqualTo("Request Header Fields Too Large");
    }

    @Test
    void aDoubleSlashPath_is404ProblemFromTheApi() throws Exception {
        var body = problem(exchange("GET //orders HTTP/1.1\r\nHost: localhost\r\n\r\n"), 404);

        assertThat(body.path("instance").asText()).isEqualTo("//orders");
    }

    @Test
    void uix_isNotTheExecutionView_butA404Problem() throws Exception {
        var body = problem(exchange("GET /uix HTTP/1.1\r\nHost: localhost\r\n\r\n"), 404);

        assertThat(body.path("instance").asText()).isEqualTo("/uix");
    }

    @Test
    void theExecutionView_isAtUiAndBelowIt() throws Exception {
        var bare = exchange("GET /ui HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var page = exchange("GET /ui/executions/x HTTP/1.1\r\nHost: localhost\r\n\r\n");

        assertThat(bare.status()).isEqualTo(302);
        assertThat(bare.header("Location")).isEqualTo("/ui/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
    }

    @Test
    void anUnknownAssetOfTheExecutionView_is404Problem_notThePage() throws Exception {
        var body = problem(exchange("GET /ui/nope.js HTTP/1.1\r\nHost: localhost\r\n\r\n"), 404);
        problem(exchange("GET /ui/executions/ HTTP/1.1\r\nHost: localhost\r\n\r\n"), 404);

        assertThat(body.path("instance").asText()).isEqualTo("/ui/nope.js");
        assertThat(exchange("GET /ui/app.js HTTP/1.1\r\nHost: localhost\r\n\r\n").header("Content-Type"))
                .startsWith("text/javascript");
    }

    @Test
    void head_answersWhereGetDoes_withGetsHeadersAndNoBody() throws Exception {
        for (var path : List.of("/orders", "/orders?limit=1", "/ui/", "/ui/app.js", "/ui/executions/x")) {
            var get = exchange("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
            RawResponse head;
            RawResponse next;
            try (var client = new RawClient(port)) {
                head = client.send("HEAD " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").readHeadResponse();
                // had the HEAD answer carried a body, it would be read here as the next response's status line
                next = client.send("GET /ui/style.css HTTP/1.1\r\nHost: localhost\r\n\r\n").read();
            }

            assertThat(head.status()).as(path).isEqualTo(200);
            assertThat(head.status()).as(path).isEqualTo(get.status());
            assertThat(head.header("Content-Type")).as(path).isEqualTo(get.header("Content-Type"));
            assertThat(head.header("Content-Length")).as(path).isNotEqualTo("0");
            assertThat(next.status()).as(path).isEqualTo(200);
            assertThat(next.header("Content-Type")).as(path).startsWith("text/css");
        }
    }

    @Test
    void head_ofAnUnknownOrder_is404LikeGet() throws Exception {
        RawResponse head;
        try (var client = new RawClient(port)) {
            head = client.send("HEAD /orders/ord_00000000000000000000000000 HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .readHeadResponse();
        }

        assertThat(head.status()).isEqualTo(404);
        assertThat(head.header("Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void anotherMethodOnTheExecutionView_is405Problem() throws Exception {
        var response = exchange("DELETE /ui/ HTTP/1.1\r\nHost: localhost\r\n\r\n");

        problem(response, 405);
        assertThat(response.header("Allow")).isEqualTo("GET, HEAD");
    }

    @Test
    void aVeryLongUnknownPath_isCutShortInInstance() throws Exception {
        var body = problem(exchange("GET /" + "x".repeat(8_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n"), 404);

        assertThat(body.path("instance").asText()).hasSize(101).startsWith("/xxx").endsWith("\u2026");
    }

    @Test
    void twoIdempotencyKeys_are400NamingTheHeader() throws Exception {
        var order = RunningStack.payload("order-completed.json");
        var response = exchange("POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Idempotency-Key: first-key\r\nidempotency-key: second-key\r\nContent-Length: " + order.length()
                + "\r\n\r\n" + order);

        var body = problem(response, 400);
        assertThat(body.at("/errors/0/header").asText()).isEqualTo("Idempotency-Key");
    }
}
