package com.orderflow.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jazzer fuzz targets for the API: whatever API Gateway hands the handler (method, path, headers, query, body,
 * base64 flag), the answer is a well-formed response, never a 5xx and never an exception; a 4xx is
 * {@code application/problem+json}. Order bodies go through JSON parsing and {@code OrderRequest} validation, which
 * either accept them or reject them with a 4xx problem.
 *
 * <p>In {@code mvn verify} Jazzer runs in regression mode: every seed under
 * {@code src/test/resources/com/orderflow/api/ApiHandlerFuzzTestInputs/<method>/} runs once. With
 * {@code JAZZER_FUZZ=1} it fuzzes (see README, Reliability and security).
 *
 * <p>Seed layout for {@link #apiHandler_neverAnswers5xx}: {@code <text>\<raw body bytes><bits><path><method>} — the
 * three trailing bytes are read first (Jazzer reads integral values from the end), {@code text} ends at the first
 * single backslash and feeds path segments, query values and the Idempotency-Key. {@code bits}: 0x01 Content-Type
 * present, 0x06 which one, 0x08 Idempotency-Key, 0x10 base64 body, 0x20 a header named by the text, 0x40
 * lower-case header names, 0x80 path parameters instead of a path. For
 * {@link #orderBody_isAcceptedOrRejectedAsProblem}: {@code <raw body bytes><flag>}, flag bit 0 = send as base64.
 */
class ApiHandlerFuzzTest {

    private static final Path SEEDS = Path.of("src", "test", "resources", "com", "orderflow", "api", "ApiHandlerFuzzTestInputs");
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "", "get", "TEXT");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
            "text/plain", "application/json; charset=ISO-8859-1");
    private static final Map<String, AtomicInteger> RUNS = Map.of(
            "apiHandler_neverAnswers5xx", new AtomicInteger(),
            "orderBody_isAcceptedOrRejectedAsProblem", new AtomicInteger());

    private static ApiTestStack stack;
    private static ApiHandler handler;

    @BeforeAll
    static void start() {
        stack = new ApiTestStack();
        handler = stack.handler(stack.newBucket());
    }

    @AfterAll
    static void stop() {
        stack.close();
        // a target that ran must have run every checked-in seed: a renamed method or moved directory would otherwise
        // leave Jazzer running nothing but its empty input, and pass
        RUNS.forEach((method, runs) -> {
            if (runs.get() > 0) {
                assertThat(runs.get()).as("runs of %s", method).isGreaterThanOrEqualTo(seedCount(method));
            }
        });
    }

    @FuzzTest(maxDuration = "60s")
    void apiHandler_neverAnswers5xx(FuzzedDataProvider data) {
        RUNS.get("apiHandler_neverAnswers5xx").incrementAndGet();
        int methodChoice = Byte.toUnsignedInt(data.consumeByte());
        int pathChoice = Byte.toUnsignedInt(data.consumeByte());
        int bits = Byte.toUnsignedInt(data.consumeByte());
        var text = data.consumeString(300);
        var rawBody = data.consumeRemainingAsBytes();

        var method = METHODS.get(methodChoice % METHODS.size());
        // an empty body is sent as null (no body at all) when the method byte's high bit is set
        var body = rawBody.length == 0 && methodChoice >= 0x80 ? null : new String(rawBody, StandardCharsets.UTF_8);
        var event = ApiTestStack.request(method.equals("TEXT") ? text : method, path(pathChoice, text), headers(bits, text), body);
        if ((bits & 0x10) != 0) {
            event.setIsBase64Encoded(true);
            event.setBody(Base64.getEncoder().encodeToString(rawBody));
        }
        if ((bits & 0x80) != 0) {
            // a proxy event whose path is gone and whose path parameters carry the fuzz text instead
            event.setPath(null);
            event.setResource(pathChoice % 2 == 0 ? "/orders/{id}" : "/orders/{id}/history");
            event.setPathParameters(Map.of("id", text));
        }

        var reply = ApiTestStack.call(handler, event);

        assertAnswer(reply, event);
    }

    @FuzzTest(maxDuration = "60s")
    void orderBody_isAcceptedOrRejectedAsProblem(FuzzedDataProvider data) {
        RUNS.get("orderBody_isAcceptedOrRejectedAsProblem").incrementAndGet();
        boolean base64 = (data.consumeByte() & 1) != 0;
        var raw = data.consumeRemainingAsBytes();
        var event = ApiTestStack.postJson(base64 ? Base64.getEncoder().encodeToString(raw) : new String(raw, StandardCharsets.UTF_8),
                Map.of());
        event.setIsBase64Encoded(base64);

        var reply = ApiTestStack.call(handler, event);

        assertAnswer(reply, event);
        assertThat(reply.status()).as("POST /orders: %s", reply.rawBody()).isIn(202, 400, 413);
        if (reply.status() == 202) {
            assertAcceptedOrderIsStoredAsSent(reply);
        } else {
            assertThat(reply.json().path("title").asText()).isNotBlank();
        }
    }

    private static String path(int choice, String text) {
        var segment = java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
        return switch (choice % 12) {
            case 0 -> "/orders";
            case 1 -> "/orders/" + text;
            case 2 -> "/orders/" + text + "/history";
            case 3 -> "/orders?limit=" + segment;
            case 4 -> "/orders?nextToken=" + segment;
            case 5 -> "/orders?limit=" + (choice / 12) + "&nextToken=" + segment;
            case 6 -> "/orders/ord_" + "0".repeat(26);
            case 7 -> "/orders/ord_" + "0".repeat(26) + "/history";
            case 8 -> "/" + text;
            case 9 -> "";
            case 10 -> "/orders/../" + text;
            default -> text;
        };
    }

    private static Map<String, String> headers(int bits, String text) {
        var headers = new HashMap<String, String>();
        if ((bits & 0x01) != 0) {
            headers.put((bits & 0x40) != 0 ? "content-type" : "Content-Type", CONTENT_TYPES.get((bits >> 1) & 0x03));
        }
        if ((bits & 0x08) != 0) {
            headers.put("Idempotency-Key", text);
        }
        if ((bits & 0x20) != 0) {
            headers.put(text, text);
        }
        return headers;
    }

    /** Whatever the request: a JSON answer below 500, problem+json for errors, nothing about the implementation. */
    private static void assertAnswer(ApiTestStack.Reply reply, APIGatewayProxyRequestEvent event) {
        var request = event.getHttpMethod() + " " + event.getPath();
        assertThat(reply.status()).as("%s -> %s", request, reply.rawBody()).isBetween(200, 499);
        assertThat(reply.json()).as("%s: JSON body %s", request, reply.rawBody()).isNotNull();
        if (reply.status() >= 400) {
            assertThat(reply.header("Content-Type")).as(request).isEqualTo("application/problem+json");
            assertThat(reply.json().path("status").asInt()).as(request).isEqualTo(reply.status());
        } else {
            assertThat(reply.header("Content-Type")).as(request).startsWith("application/json");
        }
        assertThat(reply.rawBody()).as(request).doesNotContain("Exception", "com.fasterxml", "at java.", "software.amazon");
    }

    /** A 202 is a promise: the execution input carries exactly what was validated, with the server's order id. */
    private static void assertAcceptedOrderIsStoredAsSent(ApiTestStack.Reply reply) {
        var orderId = reply.json().path("orderId").asText();
        assertThat(orderId).matches("^ord_[0-9a-z]{26}$");
        JsonNode input = stack.sfn.executions().stream()
                .filter(e -> e.name().equals(orderId)).findFirst()
                .map(e -> read(e.input())).orElseThrow(() -> new AssertionError("no execution for " + orderId));
        assertThat(input.path("order").path("orderId").asText()).isEqualTo(orderId);
        assertThat(input.path("requestHash").asText()).matches("^[0-9a-f]{64}$");
        assertThat(input.path("order").path("items").size()).isBetween(1, 100);
    }

    private static JsonNode read(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int seedCount(String method) {
        try (var files = Files.list(SEEDS.resolve(method))) {
            return (int) files.count();
        } catch (IOException e) {
            throw new UncheckedIOException("no seed directory for " + method, e);
        }
    }
}
