package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * Drives the whole local stack over HTTP only, the way the README's curl commands do: every
 * {@code test-payloads/} body reaches its documented status, with its S3 versions and its
 * execution history as the AWS APIs report them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalStackEndToEndTest {

    @TempDir
    static Path scratch;

    private RunningStack running;

    @BeforeAll
    void start() {
        running = RunningStack.inMemory(scratch);
    }

    @AfterAll
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    /** The README's table: payload, final status, and states its execution must pass through. */
    static Stream<Arguments> payloads() {
        return Stream.of(
                Arguments.of("order-completed.json", "COMPLETED", HistoryEventType.EXECUTION_SUCCEEDED,
                        List.of("RecordReceived", "ValidateOrder", "ReserveInventory", "AuthorizePayment", "MergeResults",
                                "PersistFinalStatus")),
                Arguments.of("order-invalid.json", "REJECTED", HistoryEventType.EXECUTION_SUCCEEDED,
                        List.of("RecordReceived", "ValidateOrder", "RejectInvalidOrder", "PersistFinalStatus")),
                Arguments.of("order-out-of-stock.json", "REJECTED", HistoryEventType.EXECUTION_SUCCEEDED,
                        List.of("ReserveInventory", "AuthorizePayment", "MergeResults", "VoidPayment", "PersistFinalStatus")),
                Arguments.of("order-payment-declined.json", "REJECTED", HistoryEventType.EXECUTION_SUCCEEDED,
                        List.of("ReserveInventory", "AuthorizePayment", "MergeResults", "ReleaseInventory",
                                "PersistFinalStatus")),
                Arguments.of("order-payment-flaky.json", "COMPLETED", HistoryEventType.EXECUTION_SUCCEEDED,
                        List.of("AuthorizePayment", "MergeResults", "PersistFinalStatus")),
                Arguments.of("order-payment-gateway-error.json", "FAILED", HistoryEventType.EXECUTION_FAILED,
                        List.of("AuthorizePayment", "CompensateAfterFailure", "PersistFailed", "OrderFailed")));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("payloads")
    void payload_reachesItsDocumentedStatus_withReceivedThenFinalVersions_andAnExecutionHistory(
            String file, String expectedStatus, HistoryEventType expectedEnd, List<String> expectedStates) throws Exception {
        // when
        String orderId = running.accept(RunningStack.payload(file), "e2e-" + file);
        JsonNode order = running.awaitFinal(orderId);

        // then the order
        assertThat(order.path("status").asText()).isEqualTo(expectedStatus);
        assertThat(order.path("orderId").asText()).isEqualTo(orderId);

        // and its story through the API
        JsonNode versions = running.getJson("/orders/" + orderId + "/history").path("versions");
        assertThat(statuses(versions)).containsExactly("RECEIVED", expectedStatus);

        // and through the S3 API: two versions of orders/{id}.json, RECEIVED first, the final status latest
        var s3Versions = running.s3.listObjectVersions(b -> b.bucket(running.stack.config().bucket())
                        .prefix("orders/" + orderId + ".json")).versions().stream()
                .sorted(Comparator.comparing(ObjectVersion::lastModified).thenComparing(ObjectVersion::isLatest))
                .toList();
        assertThat(s3Versions).hasSize(2);
        assertThat(s3Versions.getLast().isLatest()).isTrue();
        assertThat(storedStatus(orderId, s3Versions.getFirst())).isEqualTo("RECEIVED");
        assertThat(storedStatus(orderId, s3Versions.getLast())).isEqualTo(expectedStatus);

        // and through the Step Functions API
        List<HistoryEvent> history = running.history(orderId);
        assertThat(history.getFirst().type()).isEqualTo(HistoryEventType.EXECUTION_STARTED);
        assertThat(history.getLast().type()).isEqualTo(expectedEnd);
        assertThat(enteredStates(history)).containsAll(expectedStates);
        assertThat(running.sfn.describeExecution(b -> b.executionArn(running.executionArn(orderId))).statusAsString())
                .isEqualTo(expectedEnd == HistoryEventType.EXECUTION_SUCCEEDED ? "SUCCEEDED" : "FAILED");
    }

    @Test
    void flakyPayment_isRetried_beforeItSucceeds() throws Exception {
        String orderId = running.accept(RunningStack.payload("order-payment-flaky.json"), null);
        running.awaitFinal(orderId);

        long authorizeAttempts = running.history(orderId).stream()
                .filter(e -> e.type() == HistoryEventType.LAMBDA_FUNCTION_SCHEDULED)
                .filter(e -> e.lambdaFunctionScheduledEventDetails().resource().contains("authorize-payment"))
                .count();
        assertThat(authorizeAttempts).isGreaterThan(1);
    }

    @Test
    void duplicatePost_withSameKeyAndBody_returnsTheSameOrder() throws Exception {
        String body = RunningStack.payload("order-completed.json");

        String first = running.accept(body, "replay-same");
        String second = running.accept(body, "replay-same");

        assertThat(second).isEqualTo(first);
        running.awaitFinal(first);
        assertThat(running.accept(body, "replay-same")).isEqualTo(first);
    }

    @Test
    void replay_ofAFinishedOrder_isTheFirstAnswerWithTheFinalStatus_underTheDocumentedHeader() throws Exception {
        String body = RunningStack.payload("order-payment-declined.json");
        var first = running.post(body, "replay-final");
        String orderId = Json.mapper().readTree(first.body()).path("orderId").asText();
        running.awaitFinal(orderId);

        String head;
        String replayBody;
        try (var socket = new Socket("127.0.0.1", running.stack.apiEndpoint().getPort())) {
            var bytes = body.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("POST /orders HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Idempotency-Key: replay-final\r\nConnection: close\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(bytes);
            var text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            head = text.substring(0, text.indexOf("\r\n\r\n"));
            replayBody = text.substring(text.indexOf("\r\n\r\n") + 4);
        }

        assertThat(head).startsWith("HTTP/1.1 202");
        // the name exactly as documented, as it left the server (HTTP names are case-insensitive; people's eyes are not)
        assertThat(head).contains("\r\nIdempotent-Replayed: true");
        var replay = Json.mapper().readTree(replayBody);
        assertThat(replay.path("status").asText()).isEqualTo("REJECTED");
        var firstWithStatusNow = (ObjectNode) Json.mapper().readTree(first.body());
        firstWithStatusNow.put("status", "REJECTED");
        assertThat(replay).isEqualTo(firstWithStatusNow);
    }

    @Test
    void duplicatePost_withSameKeyAndAnotherBody_is409() throws Exception {
        running.accept(RunningStack.payload("order-completed.json"), "replay-conflict");

        var response = running.post(RunningStack.payload("order-invalid.json"), "replay-conflict");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void listOrders_includesAcceptedOrders() throws Exception {
        String orderId = running.accept(RunningStack.payload("order-out-of-stock.json"), null);
        running.awaitFinal(orderId);

        var ids = new ArrayList<String>();
        JsonNode page = running.getJson("/orders?limit=100");
        page.path("orders").forEach(o -> ids.add(o.path("orderId").asText()));
        assertThat(ids).contains(orderId);
    }

    @Test
    void executionLink_ofAnAcceptedOrder_opensTheLocalExecutionView() throws Exception {
        var response = running.post(RunningStack.payload("order-completed.json"), null);
        String link = Json.mapper().readTree(response.body()).path("links").path("execution").asText();

        assertThat(link).startsWith(running.stack.apiEndpoint() + "/ui/");
        var page = running.http.send(HttpRequest.newBuilder(URI.create(link)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    }

    @Test
    void unknownOrder_is404ProblemJson() throws Exception {
        var response = running.get("/orders/ord_00000000000000000000000000");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(Json.mapper().readTree(response.body()).path("status").asInt()).isEqualTo(404);
    }

    @Test
    void oversizedBody_is413AtTheFrontEnd() throws Exception {
        String big = "{\"pad\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";

        var response = running.post(big, null);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
    }

    private String storedStatus(String orderId, ObjectVersion version) throws Exception {
        byte[] bytes = running.s3.getObjectAsBytes(b -> b.bucket(running.stack.config().bucket())
                .key("orders/" + orderId + ".json").versionId(version.versionId())).asByteArray();
        return Json.mapper().readTree(bytes).path("status").asText();
    }

    static List<String> statuses(JsonNode versions) {
        var statuses = new ArrayList<String>();
        versions.forEach(v -> statuses.add(v.path("status").asText()));
        return statuses;
    }

    static List<String> enteredStates(List<HistoryEvent> history) {
        return history.stream()
                .map(HistoryEvent::stateEnteredEventDetails)
                .filter(Objects::nonNull)
                .map(d -> d.name())
                .toList();
    }
}
