package com.orderflow.api;

import com.orderflow.json.Json;
import com.orderflow.order.Order;
import com.orderflow.order.OrderOutcome;
import com.orderflow.workflow.PersistOrderInput;
import com.orderflow.workflow.persist.PersistOrderHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.orderflow.api.ApiTestStack.call;
import static com.orderflow.api.ApiTestStack.event;
import static org.assertj.core.api.Assertions.assertThat;

/** Every sample event in {@code events/apigw/} through the real handler, against the local S3 and the Step Functions stub. */
class ApiHandlerEventsTest {

    /** The order the GET events name; stored before the tests so that they find it. */
    private static final String STORED_ORDER = "ord_01jd8x7k2m9q4r5s6t7v8w9x0y";

    private static final Map<String, Integer> EXPECTED = new TreeMap<>(Map.ofEntries(
            Map.entry("post-orders.json", 202),
            Map.entry("post-orders-idempotent.json", 202),
            Map.entry("post-orders-base64.json", 202),
            Map.entry("post-orders-malformed.json", 400),
            Map.entry("post-orders-missing-fields.json", 400),
            Map.entry("post-orders-wrong-types.json", 400),
            Map.entry("post-orders-wrong-content-type.json", 415),
            Map.entry("post-orders-bad-idempotency-key.json", 400),
            Map.entry("post-orders-two-idempotency-keys.json", 400),
            Map.entry("get-orders.json", 200),
            Map.entry("get-orders-limit.json", 200),
            Map.entry("get-orders-bad-limit.json", 400),
            Map.entry("get-orders-bad-token.json", 400),
            Map.entry("get-orders-filtered.json", 200),
            Map.entry("get-orders-unknown-parameter.json", 400),
            Map.entry("head-orders.json", 200),
            Map.entry("get-order.json", 200),
            Map.entry("get-order-unknown.json", 404),
            Map.entry("get-order-invalid-id.json", 404),
            Map.entry("get-order-history.json", 200),
            Map.entry("get-unknown-route.json", 404),
            Map.entry("delete-orders.json", 405),
            Map.entry("put-order.json", 405)));

    private static ApiTestStack stack;
    private static ApiHandler handler;

    @BeforeAll
    static void start() throws IOException {
        stack = ApiTestStack.shared();
        var bucket = stack.newBucket();
        handler = stack.handler(bucket);
        var input = Json.mapper().readTree(Files.readAllBytes(ApiTestStack.PAYLOADS.getParent().resolve("events/workflow/execution-input.json")));
        var order = Json.mapper().treeToValue(input.get("order"), Order.class);
        var persist = new PersistOrderHandler(stack.s3.client(), bucket, Clock.systemUTC());
        persist.handleRequest(new PersistOrderInput(order, OrderOutcome.received(), "arn:exec"), null);
    }

    static Stream<String> eventFiles() throws IOException {
        try (var files = Files.list(ApiTestStack.EVENTS)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList().stream();
        }
    }

    @Test
    void everyEventFile_hasAnExpectedStatus() throws IOException {
        assertThat(eventFiles().collect(Collectors.toSet())).isEqualTo(EXPECTED.keySet());
        assertThat(STORED_ORDER).startsWith("ord_");
    }

    @ParameterizedTest
    @MethodSource("eventFiles")
    void eventFile_getsItsDocumentedStatus_andACleanBody(String file) {
        var reply = call(handler, event(file));

        assertThat(reply.status()).as(file + ": " + reply.rawBody()).isEqualTo(EXPECTED.get(file));
        assertThat(reply.json()).as("body is JSON").isNotNull();
        if (reply.status() >= 400) {
            assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(reply.json().path("status").asInt()).isEqualTo(reply.status());
            assertThat(reply.json().path("title").asText()).isNotBlank();
            assertThat(reply.json().path("type").asText()).isNotBlank();
        } else {
            assertThat(reply.header("Content-Type")).isEqualTo("application/json");
        }
        assertThat(reply.rawBody()).doesNotContain("Exception", "com.orderflow", "at java.", "software.amazon");
    }

    @Test
    void postOrders_answers202_withLocationUnderTheStage() {
        var reply = call(handler, event("post-orders.json"));

        var orderId = reply.json().path("orderId").asText();
        assertThat(orderId).matches("^ord_[0-9a-z]{26}$");
        assertThat(reply.json().path("status").asText()).isEqualTo("RECEIVED");
        assertThat(reply.header("Location")).isEqualTo("/dev/orders/" + orderId);
        assertThat(reply.json().at("/links/self").asText()).isEqualTo("/dev/orders/" + orderId);
        assertThat(reply.json().path("executionArn").asText())
                .isEqualTo("arn:aws:states:us-east-1:123456789012:execution:orderflow-test-order-workflow:" + orderId);
        assertThat(reply.json().at("/links/execution").asText()).isEqualTo(
                "https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/"
                        + reply.json().path("executionArn").asText());
    }

    @Test
    void response_serializesToTheProxyIntegrationShape_withTheSharedMapper() throws IOException {
        // on AWS the runtime writes the response with Json.mapper() (LambdaJsonSerializer); API Gateway reads these keys
        var response = handler.handleRequest(event("delete-orders.json"), null);

        var wire = Json.mapper().readTree(Json.mapper().writeValueAsString(response));

        assertThat(wire.path("statusCode").asInt()).isEqualTo(405);
        assertThat(wire.at("/headers/Allow").asText()).isEqualTo("GET, HEAD, POST");
        assertThat(wire.path("body").isTextual()).isTrue();
        assertThat(wire.path("isBase64Encoded").asBoolean(true)).isFalse();
    }

    @Test
    void missingFields_areEachNamedByPointer() {
        var reply = call(handler, event("post-orders-missing-fields.json"));

        assertThat(reply.errorPointers()).containsExactlyInAnyOrder(
                "/currency", "/customer/id", "/customer/email", "/items", "/payment");
    }

    @Test
    void wrongTypes_areEachNamedByPointer() {
        var reply = call(handler, event("post-orders-wrong-types.json"));

        assertThat(reply.errorPointers()).containsExactlyInAnyOrder(
                "/currency", "/items/0/quantity", "/items/1/unitPrice", "/payment");
    }

    @Test
    void deleteOrders_is405_withAllowHeader() {
        var reply = call(handler, event("delete-orders.json"));

        assertThat(reply.header("Allow")).isEqualTo("GET, HEAD, POST");
    }

    @Test
    void badLimit_namesTheParameter() {
        var reply = call(handler, event("get-orders-bad-limit.json"));

        assertThat(reply.errorPointers()).containsExactly("?limit");
    }

    @Test
    void getOrder_returnsTheStoredRecord() {
        var reply = call(handler, event("get-order.json"));

        assertThat(reply.json().path("orderId").asText()).isEqualTo(STORED_ORDER);
        assertThat(reply.json().path("status").asText()).isEqualTo("RECEIVED");
        assertThat(reply.json().at("/order/total").decimalValue()).isEqualByComparingTo("92.48");
        assertThat(reply.json().at("/links/history").asText()).isEqualTo("/dev/orders/" + STORED_ORDER + "/history");
    }
}
