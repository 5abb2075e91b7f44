package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * CORS through the running stack's API port, as a browser on another port meets it: the preflight answered by the
 * front end as API Gateway's OPTIONS method answers it, the headers on the function's answers, and the same stack
 * with {@code --cors-origin=off}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CorsTest {

    private static final String DEV_SERVER = "http://localhost:5173";

    @TempDir
    static Path scratch;

    private RunningStack running;

    @BeforeAll
    void start() {
        running = RunningStack.inMemory(scratch.resolve("default"));
    }

    @AfterAll
    void stop() {
        running.close();
    }

    private HttpResponse<String> send(RunningStack stack, HttpRequest.Builder request) throws Exception {
        return stack.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> preflight(RunningStack stack, String path, String origin) throws Exception {
        return send(stack, HttpRequest.newBuilder(stack.api(path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,idempotency-key"));
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void preflight_fromADevServerOnAnyLocalPort_is204WithTheResourcesMethodsAndHeaders() throws Exception {
        var response = preflight(running, "/orders", DEV_SERVER);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(header(response, "Access-Control-Allow-Origin")).isEqualTo(DEV_SERVER);
        assertThat(header(response, "Access-Control-Allow-Methods")).isEqualTo("GET,HEAD,POST,OPTIONS");
        assertThat(header(response, "Access-Control-Allow-Headers")).isEqualTo("Content-Type,Idempotency-Key");
        assertThat(header(response, "Access-Control-Max-Age")).isEqualTo("600");
        assertThat(header(response, "Vary")).isEqualTo("Origin");
        assertThat(header(response, "x-amzn-RequestId")).isNotBlank();

        var item = preflight(running, "/orders/ord_00000000000000000000000000/history", "http://127.0.0.1:8080");
        assertThat(item.statusCode()).isEqualTo(204);
        assertThat(header(item, "Access-Control-Allow-Origin")).isEqualTo("http://127.0.0.1:8080");
        assertThat(header(item, "Access-Control-Allow-Methods")).isEqualTo("GET,HEAD,OPTIONS");
    }

    @Test
    void preflight_fromAnotherSite_namesNoOrigin_soTheBrowserRefuses() throws Exception {
        for (var origin : new String[] {"https://evil.example", "http://localhost.evil.example:3000", "https://localhost:5173"}) {
            var response = preflight(running, "/orders", origin);

            assertThat(response.statusCode()).as(origin).isEqualTo(204);
            assertThat(header(response, "Access-Control-Allow-Origin")).as(origin).isNull();
            assertThat(header(response, "Vary")).as(origin).isEqualTo("Origin");
        }
    }

    @Test
    void answers_carryTheAllowedOrigin_andExposeTheApisHeaders_errorsToo() throws Exception {
        var accepted = send(running, HttpRequest.newBuilder(running.api("/orders"))
                .header("Origin", DEV_SERVER).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(RunningStack.payload("order-completed.json"))));
        var notFound = send(running, HttpRequest.newBuilder(running.api("/orders/ord_00000000000000000000000000"))
                .header("Origin", DEV_SERVER));
        var withoutOrigin = running.get("/orders?limit=1");

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(header(accepted, "Access-Control-Allow-Origin")).isEqualTo(DEV_SERVER);
        assertThat(header(accepted, "Access-Control-Expose-Headers"))
                .isEqualTo("Location,Idempotent-Replayed,Retry-After,X-Amzn-RequestId");
        assertThat(header(accepted, "Vary")).isEqualTo("Origin");
        assertThat(notFound.statusCode()).isEqualTo(404);
        assertThat(header(notFound, "Access-Control-Allow-Origin")).isEqualTo(DEV_SERVER);
        assertThat(header(withoutOrigin, "Access-Control-Allow-Origin")).isNull();
        assertThat(header(withoutOrigin, "Vary")).isEqualTo("Origin");
    }

    @Test
    void preflight_ofAPathNoResourceKnows_isTheApis404() throws Exception {
        var response = preflight(running, "/nope", DEV_SERVER);

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(header(response, "Content-Type")).isEqualTo("application/problem+json");
    }

    @Test
    void corsOff_answersNoPreflight_andNamesNoOrigin() throws Exception {
        try (var off = RunningStack.inMemory(scratch.resolve("off"), "--cors-origin=off")) {
            var preflight = preflight(off, "/orders", DEV_SERVER);
            var answer = send(off, HttpRequest.newBuilder(off.api("/orders?limit=1")).header("Origin", DEV_SERVER));

            assertThat(preflight.statusCode()).isEqualTo(405);
            assertThat(header(preflight, "Allow")).isEqualTo("GET, HEAD, POST");
            assertThat(header(answer, "Access-Control-Allow-Origin")).isNull();
            assertThat(header(answer, "Vary")).isNull();
        }
    }

    @Test
    void anExplicitOrigin_isTheOnlyOneAllowed() throws Exception {
        try (var shop = RunningStack.inMemory(scratch.resolve("shop"), "--cors-origin=https://shop.example.com")) {
            assertThat(header(preflight(shop, "/orders", "https://shop.example.com"), "Access-Control-Allow-Origin"))
                    .isEqualTo("https://shop.example.com");
            assertThat(header(preflight(shop, "/orders", DEV_SERVER), "Access-Control-Allow-Origin")).isNull();
        }
    }
}
