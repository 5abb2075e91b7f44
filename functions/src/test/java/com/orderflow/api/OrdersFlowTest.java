package com.orderflow.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.api.ids.SecureRandomOrderIdGenerator;
import com.orderflow.aws.InvocationContext;
import com.orderflow.json.Json;
import com.orderflow.order.FailureInfo;
import com.orderflow.order.InventoryResult;
import com.orderflow.order.Order;
import com.orderflow.order.OrderOutcome;
import com.orderflow.order.PaymentResult;
import com.orderflow.workflow.PersistOrderInput;
import com.orderflow.workflow.persist.PersistOrderHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static com.orderflow.api.ApiTestStack.call;
import static com.orderflow.api.ApiTestStack.get;
import static com.orderflow.api.ApiTestStack.postJson;
import static org.assertj.core.api.Assertions.assertThat;

/** The API's behaviour end to end through the handler, against the local S3 and the Step Functions stub. */
class OrdersFlowTest {

    private static ApiTestStack stack;
    private static final String ORDER = ApiTestStack.payload("order-completed.json");

    private String bucket;
    private ApiHandler handler;
    private PersistOrderHandler persist;

    @BeforeAll
    static void start() {
        stack = ApiTestStack.shared();
    }

    @BeforeEach
    void freshBucket() {
        bucket = stack.newBucket();
        handler = stack.handler(bucket);
        persist = new PersistOrderHandler(stack.s3.client(), bucket, Clock.systemUTC());
    }

    private static Map<String, String> key(String key) {
        return Map.of("Idempotency-Key", key);
    }

    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    @Test
    void post_startsExecutionNamedByOrderId_withOrderAndRequestHash() throws IOException {
        var reply = call(handler, postJson(ORDER, Map.of()));

        assertThat(reply.status()).isEqualTo(202);
        var orderId = reply.json().path("orderId").asText();
        var execution = stack.sfn.execution(reply.json().path("executionArn").asText());
        assertThat(execution.name()).isEqualTo(orderId);
        var input = Json.mapper().readTree(execution.input());
        assertThat(input.at("/order/orderId").asText()).isEqualTo(orderId);
        assertThat(input.at("/order/total").decimalValue()).isEqualByComparingTo("92.48");
        assertThat(input.path("requestHash").asText()).matches("^[0-9a-f]{64}$");
        assertThat(input.at("/order/items/0/unitPrice").decimalValue()).isEqualByComparingTo("39.99");
    }

    @Test
    void post_withoutTotal_passesTheComputedTotal() throws IOException {
        var body = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(ORDER);
        body.remove("total");

        var reply = call(handler, postJson(body.toString(), Map.of()));

        var input = Json.mapper().readTree(stack.sfn.execution(reply.json().path("executionArn").asText()).input());
        assertThat(input.at("/order/total").decimalValue()).isEqualByComparingTo("92.48");
    }

    @Test
    void post_withLocalExecutionView_linksIt() {
        var local = stack.handler(bucket, "http://localhost:3000/", new SecureRandomOrderIdGenerator(Clock.systemUTC()));

        var reply = call(local, postJson(ORDER, Map.of()));

        var arn = reply.json().path("executionArn").asText();
        assertThat(reply.json().at("/links/execution").asText())
                .isEqualTo("http://localhost:3000/executions/" + arn.replace(":", "%3A"));
    }

    @Test
    void postWithoutKey_twice_createsTwoOrders() {
        var first = call(handler, postJson(ORDER, Map.of()));
        var second = call(handler, postJson(ORDER, Map.of()));

        assertThat(first.json().path("orderId").asText()).isNotEqualTo(second.json().path("orderId").asText());
    }

    @Test
    void duplicatePost_withSameKey_whileRunning_returnsSameOrder() {
        var key = newKey();
        var calls = stack.sfn.startCalls();

        var first = call(handler, postJson(ORDER, key(key)));
        var second = call(handler, postJson(ORDER, key(key)));

        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(202);
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(stack.sfn.startCalls() - calls).as("the repeat is answered from the running execution").isEqualTo(1);
        assertThat(stack.sfn.executions().stream().filter(e -> e.name().equals(first.json().path("orderId").asText())))
                .hasSize(1);
    }

    @Test
    void duplicatePost_withSameKey_afterExecutionClosed_returnsTheFirstAnswer_withTheStatusNow() {
        var key = newKey();
        var first = call(handler, postJson(ORDER, key(key)));
        var order = orderOf(first.json().path("executionArn").asText());
        store(order, OrderOutcome.received());
        store(order, OrderOutcome.merge(reserved(order), authorized(order)));
        stack.sfn.close(first.json().path("executionArn").asText(), "SUCCEEDED");

        var second = call(handler, postJson(ORDER, key(key)));

        assertThat(second.status()).isEqualTo(202);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(second.header("Location")).isEqualTo(first.header("Location"));
        assertThat(first.json().path("status").asText()).isEqualTo("RECEIVED");
        assertThat(second.json().path("status").asText()).isEqualTo("COMPLETED");
        var firstButStatus = first.json().deepCopy();
        ((ObjectNode) firstButStatus).put("status", "COMPLETED");
        assertThat(second.json()).isEqualTo(firstButStatus);
    }

    @Test
    void duplicatePost_withSameKey_afterTheRunFailedUnstored_saysFailed_asGetDoes() {
        var key = newKey();
        var first = call(handler, postJson(ORDER, key(key)));
        var arn = first.json().path("executionArn").asText();
        store(orderOf(arn), OrderOutcome.received());
        stack.sfn.close(arn, "TIMED_OUT");

        var second = call(handler, postJson(ORDER, key(key)));
        var fetched = call(handler, get("/orders/" + first.json().path("orderId").asText()));

        assertThat(second.status()).isEqualTo(202);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(fetched.status()).as(fetched.rawBody()).isEqualTo(200);
        assertThat(second.json().path("status").asText()).isEqualTo("FAILED")
                .isEqualTo(fetched.json().path("status").asText());
    }

    @Test
    void duplicatePost_withSameKey_andEquivalentBody_isAReplay() throws IOException {
        var key = newKey();
        var first = call(handler, postJson(ORDER, key(key)));
        // same order, different spelling: key order, whitespace, a string amount, trailing zeros
        var respelled = """
                {"total":"92.480","payment":{"token":"tok_visa"},"items":[
                  {"unitPrice":"39.99","quantity":2,"sku":"SKU-BOOK-001"},
                  {"sku":"SKU-MUG-002","quantity":1,"unitPrice":12.50}],
                 "currency":"USD","customer":{"email":"ada@example.com","name":"Ada Lovelace","id":"cust-1001"}}
                """;

        var second = call(handler, postJson(respelled, key(key)));

        assertThat(second.status()).isEqualTo(202);
        assertThat(second.json().path("orderId")).isEqualTo(first.json().path("orderId"));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sameKey_withDifferentBody_is409(boolean firstExecutionClosed) {
        var key = newKey();
        var first = call(handler, postJson(ORDER, key(key)));
        if (firstExecutionClosed) {
            stack.sfn.close(first.json().path("executionArn").asText(), "SUCCEEDED");
        }

        var other = call(handler, postJson(ApiTestStack.payload("order-payment-declined.json"), key(key)));

        assertThat(other.status()).isEqualTo(409);
        assertThat(other.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(other.json().path("type").asText()).isEqualTo("urn:orderflow:problem:idempotency-key-reused");
        assertThat(other.errorPointers()).containsExactly("header:Idempotency-Key");
    }

    @Test
    void idempotencyKey_headerNameIsCaseInsensitive_andQuotedFormAccepted() {
        var key = newKey();
        var first = call(handler, postJson(ORDER, Map.of("idempotency-key", key)));
        var second = call(handler, postJson(ORDER, Map.of("IDEMPOTENCY-KEY", "\"" + key + "\"")));

        assertThat(second.json().path("orderId")).isEqualTo(first.json().path("orderId"));
    }

    @Test
    void getOrder_beforeAnythingStored_returnsInFlightStatusFromExecution() {
        var created = call(handler, postJson(ORDER, Map.of()));
        var orderId = created.json().path("orderId").asText();

        var reply = call(handler, get("/orders/" + orderId));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("status").asText()).isEqualTo("RECEIVED");
        assertThat(reply.json().path("executionStatus").asText()).isEqualTo("RUNNING");
        assertThat(reply.json().at("/order/orderId").asText()).isEqualTo(orderId);
    }

    @Test
    void getOrder_whoseExecutionFailedBeforeStoring_isFailed() {
        var created = call(handler, postJson(ORDER, Map.of()));
        stack.sfn.close(created.json().path("executionArn").asText(), "FAILED");

        var reply = call(handler, get("/orders/" + created.json().path("orderId").asText()));

        assertThat(reply.json().path("status").asText()).isEqualTo("FAILED");
        assertThat(reply.json().path("executionStatus").asText()).isEqualTo("FAILED");
    }

    @Test
    void getOrder_returnsLatestStoredStatus() {
        var order = orderFromPost();
        store(order, OrderOutcome.received());
        store(order, OrderOutcome.merge(reserved(order), authorized(order)));

        var reply = call(handler, get("/orders/" + order.orderId()));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("status").asText()).isEqualTo("COMPLETED");
        assertThat(reply.json().at("/inventory/status").asText()).isEqualTo("RESERVED");
        assertThat(reply.json().has("executionStatus")).isFalse();
    }

    @Test
    void getOrder_showsAFailureByName_neverItsCause() {
        var order = orderFromPost();
        store(order, OrderOutcome.failed(new FailureInfo("Lambda.Unknown",
                "{\"errorType\":\"java.lang.IllegalStateException\",\"stackTrace\":[\"com.orderflow.X.run(X.java:1)\"]}")));

        var reply = call(handler, get("/orders/" + order.orderId()));

        assertThat(reply.json().path("status").asText()).isEqualTo("FAILED");
        assertThat(reply.json().at("/failure/error").asText()).isEqualTo("Lambda.Unknown");
        assertThat(reply.rawBody()).doesNotContain("IllegalStateException", "stackTrace", "com.orderflow");
    }

    @Test
    void getOrder_hidesAJavaExceptionClassUsedAsErrorName() {
        var order = orderFromPost();
        store(order, OrderOutcome.failed(new FailureInfo("com.orderflow.order.payment.PaymentGatewayException",
                "{\"errorMessage\":\"gateway down\"}")));

        var reply = call(handler, get("/orders/" + order.orderId()));
        var history = call(handler, get("/orders/" + order.orderId() + "/history"));

        assertThat(reply.json().at("/failure/error").asText()).isEqualTo("InternalError");
        assertThat(reply.json().path("reason").asText()).isEqualTo("Technical failure: InternalError");
        assertThat(reply.rawBody()).doesNotContain("com.orderflow", "Exception", "gateway down");
        assertThat(history.rawBody()).doesNotContain("com.orderflow", "Exception", "gateway down");
    }

    @Test
    void getOrder_unknownId_is404() {
        var reply = call(handler, get("/orders/ord_zzzzzzzzzzzzzzzzzzzzzzzzzz"));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ord_SHOUTINGSHOUTINGSHOUTING12", "ord_short", "../orders/ord_zzzzzzzzzzzzzzzzzzzzzzzzzz",
            "ord_zzzzzzzzzzzzzzzzzzzzzzzzzz.json", "%2e%2e", "ord_zzzzzzzzzzzzzzzzzzzzzzzzzzz"})
    void getOrder_malformedId_is404(String id) {
        var reply = call(handler, get("/orders/" + id));

        assertThat(reply.status()).isEqualTo(404);
        assertThat(call(handler, get("/orders/" + id + "/history")).status()).isEqualTo(404);
    }

    @Test
    void history_listsEveryVersionOldestFirst() {
        var order = orderFromPost();
        store(order, OrderOutcome.received());
        store(order, OrderOutcome.merge(reserved(order), declined(order)));
        store(order, OrderOutcome.failed(new FailureInfo("States.Timeout", "took too long")));

        var reply = call(handler, get("/orders/" + order.orderId() + "/history"));

        assertThat(reply.status()).isEqualTo(200);
        var versions = reply.json().path("versions");
        var statuses = new ArrayList<String>();
        var versionIds = new ArrayList<String>();
        versions.forEach(v -> {
            statuses.add(v.path("status").asText());
            versionIds.add(v.path("versionId").asText());
        });
        assertThat(statuses).containsExactly("RECEIVED", "REJECTED", "FAILED");
        assertThat(versionIds).doesNotHaveDuplicates().allSatisfy(id -> assertThat(id).isNotBlank());
        assertThat(versions.get(2).path("latest").asBoolean()).isTrue();
        assertThat(versions.get(0).path("latest").asBoolean()).isFalse();
        assertThat(versions.get(1).at("/record/reason").asText()).contains("Payment.Declined");
    }

    @Test
    void history_ofInFlightOrder_isEmpty_andOfUnknownOrder_is404() {
        var created = call(handler, postJson(ORDER, Map.of()));

        var inFlight = call(handler, get("/orders/" + created.json().path("orderId").asText() + "/history"));
        var unknown = call(handler, get("/orders/ord_zzzzzzzzzzzzzzzzzzzzzzzzzz/history"));

        assertThat(inFlight.status()).isEqualTo(200);
        assertThat(inFlight.json().path("versions")).isEmpty();
        assertThat(unknown.status()).isEqualTo(404);
    }

    @Test
    void listOrders_pagesThroughEveryOrder_newestFirst() {
        var clock = new AtomicLong(Instant.parse("2026-04-09T12:00:00Z").toEpochMilli());
        var ids = new SecureRandomOrderIdGenerator(new Clock() {
            @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
            @Override public Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public Instant instant() { return Instant.ofEpochMilli(clock.addAndGet(1000)); }
        });
        var timed = stack.handler(bucket, null, ids);
        var created = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            var reply = call(timed, postJson(ORDER, Map.of()));
            var order = orderOf(reply.json().path("executionArn").asText());
            store(order, OrderOutcome.received());
            created.add(order.orderId());
        }

        var listed = new ArrayList<String>();
        var pages = 0;
        String token = null;
        do {
            var reply = call(handler, get("/orders?limit=2" + (token == null ? "" : "&nextToken=" + token)));
            assertThat(reply.status()).as(reply.rawBody()).isEqualTo(200);
            reply.json().path("orders").forEach(o -> {
                listed.add(o.path("orderId").asText());
                assertThat(o.path("status").asText()).isEqualTo("RECEIVED");
                assertThat(o.path("currency").asText()).isEqualTo("USD");
                assertThat(o.path("total").decimalValue()).isEqualByComparingTo("92.48");
                assertThat(o.path("updatedAt").asText()).isNotBlank();
            });
            token = reply.json().path("nextToken").isTextual() ? reply.json().path("nextToken").asText() : null;
            if (token != null) {
                assertThat(reply.json().at("/links/next").asText()).startsWith("/dev/orders?limit=2&nextToken=");
            }
            pages++;
        } while (token != null && pages < 10);

        assertThat(pages).isEqualTo(3);
        assertThat(listed).containsExactlyElementsOf(created.reversed());
    }

    @Test
    void listOrders_defaultLimit_returnsAllOfAFewOrders_withoutNextToken() {
        var order = orderFromPost();
        store(order, OrderOutcome.received());

        var reply = call(handler, get("/orders"));

        assertThat(reply.json().path("orders")).hasSize(1);
        assertThat(reply.json().has("nextToken")).isFalse();
    }

    @Test
    void listOrders_skipsOtherObjectsUnderOrders_andStillPages() {
        stack.s3.client().putObject(b -> b.bucket(bucket).key("orders/read me \u00e9.txt"), RequestBody.fromString("x"));
        var first = orderFromPost();
        var second = orderFromPost();
        store(first, OrderOutcome.received());
        store(second, OrderOutcome.received());

        var listed = new ArrayList<String>();
        String token = null;
        for (int page = 0; page < 5; page++) {
            var reply = call(handler, get("/orders?limit=1" + (token == null ? "" : "&nextToken=" + token)));
            assertThat(reply.status()).as(reply.rawBody()).isEqualTo(200);
            reply.json().path("orders").forEach(o -> listed.add(o.path("orderId").asText()));
            token = reply.json().path("nextToken").isTextual() ? reply.json().path("nextToken").asText() : null;
            if (token == null) {
                break;
            }
        }

        assertThat(token).isNull();
        assertThat(listed).containsExactlyInAnyOrder(first.orderId(), second.orderId());
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=101", "limit=-1", "limit=abc", "limit=1.5", "limit=", "limit=0001",
            "nextToken=abc", "nextToken=eyJ2IjoxLCJhZnRlciI6Ii4uLyJ9", "nextToken=%00%00"})
    void listOrders_badParameters_are400(String query) {
        var reply = call(handler, get("/orders?" + query));

        assertThat(reply.status()).as(reply.rawBody()).isEqualTo(400);
        assertThat(reply.json().path("errors")).hasSize(1);
    }

    @Test
    void corruptStoredRecord_is500_withCorrelationId_andNoInternals() {
        var orderId = "ord_00000000000000000000000000";
        stack.s3.client().putObject(b -> b.bucket(bucket).key("orders/" + orderId + ".json"), RequestBody.fromString("{not json"));
        var logs = Collections.synchronizedList(new ArrayList<String>());
        var context = InvocationContext.of("9f1c2e7a-0000-4000-8000-00000000abcd", "orderflow-test-api", logs::add);

        var reply = ApiTestStack.Reply.of(handler.handleRequest(get("/orders/" + orderId), context));

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.json().path("detail").asText()).startsWith("internal error");
        assertThat(reply.json().path("correlationId").asText()).isEqualTo("9f1c2e7a-0000-4000-8000-00000000abcd");
        assertThat(reply.rawBody()).doesNotContain("Exception", "com.orderflow", ".json", "Jackson", "bucket");
        assertThat(String.join("\n", logs)).contains("9f1c2e7a-0000-4000-8000-00000000abcd", "IllegalStateException");
    }

    @Test
    void stepFunctionsUnreachable_is503_withRetryAfter() {
        var deadEndpoint = StepFunctionsStub.start(ApiTestStack.STATE_MACHINE_ARN);
        var endpoint = deadEndpoint.endpoint();
        deadEndpoint.close();
        var env = new HashMap<String, String>();
        env.put("ORDERS_BUCKET", bucket);
        env.put("STATE_MACHINE_ARN", ApiTestStack.STATE_MACHINE_ARN);
        env.put("AWS_REGION", "us-east-1");
        env.put("S3_ENDPOINT_URL", stack.s3.endpoint().toString());
        env.put("SFN_ENDPOINT_URL", endpoint.toString());
        var unreachable = new ApiHandler(env);

        var reply = call(unreachable, postJson(ORDER, Map.of()));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isEqualTo("1");
    }

    @Test
    void handlerFromEnvironment_reachesLocalEndpoints() {
        var env = new HashMap<String, String>();
        env.put("ORDERS_BUCKET", bucket);
        env.put("STATE_MACHINE_ARN", ApiTestStack.STATE_MACHINE_ARN);
        env.put("AWS_REGION", "us-east-1");
        env.put("S3_ENDPOINT_URL", stack.s3.endpoint().toString());
        env.put("SFN_ENDPOINT_URL", stack.sfn.endpoint().toString());
        env.put("EXECUTION_VIEW_BASE_URL", "http://localhost:3000");
        var fromEnv = new ApiHandler(env);

        var created = call(fromEnv, postJson(ORDER, Map.of()));
        var order = orderOf(created.json().path("executionArn").asText());
        store(order, OrderOutcome.received());
        var fetched = call(fromEnv, get("/orders/" + order.orderId()));

        assertThat(created.status()).isEqualTo(202);
        assertThat(created.json().at("/links/execution").asText()).startsWith("http://localhost:3000/executions/arn%3Aaws%3Astates");
        assertThat(fetched.status()).isEqualTo(200);
    }

    // ---- helpers ----

    private Order orderFromPost() {
        var reply = call(handler, postJson(ORDER, Map.of()));
        return orderOf(reply.json().path("executionArn").asText());
    }

    private static Order orderOf(String executionArn) {
        try {
            return Json.mapper().treeToValue(Json.mapper().readTree(stack.sfn.execution(executionArn).input()).get("order"), Order.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void store(Order order, OrderOutcome outcome) {
        persist.handleRequest(new PersistOrderInput(order, outcome,
                com.orderflow.api.orders.StateMachineArn.parse(ApiTestStack.STATE_MACHINE_ARN).executionArn(order.orderId())), null);
    }

    private static InventoryResult reserved(Order order) {
        return new InventoryResult(order.orderId(), InventoryResult.Status.RESERVED, "res_1", List.of());
    }

    private static PaymentResult authorized(Order order) {
        return new PaymentResult(order.orderId(), PaymentResult.Status.AUTHORIZED, "auth_1", null);
    }

    private static PaymentResult declined(Order order) {
        return new PaymentResult(order.orderId(), PaymentResult.Status.DECLINED, null, "card declined (tok_chargeDeclined)");
    }
}
