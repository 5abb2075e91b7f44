package com.orderflow.api;

import static com.orderflow.api.ApiTestStack.call;
import static com.orderflow.api.ApiTestStack.get;
import static com.orderflow.api.ApiTestStack.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.orderflow.api.orders.StateMachineArn;
import com.orderflow.json.Json;
import com.orderflow.order.FailureInfo;
import com.orderflow.order.InventoryResult;
import com.orderflow.order.Order;
import com.orderflow.order.OrderOutcome;
import com.orderflow.order.PaymentResult;
import com.orderflow.workflow.PersistOrderInput;
import com.orderflow.workflow.persist.PersistOrderHandler;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /orders/{id}} when the stored record still says RECEIVED: the execution decides once it has closed,
 * and the answer names both the stored record's status and the execution's.
 */
class OrderStatusReconciliationTest {

    private static final String ORDER = ApiTestStack.payload("order-completed.json");

    private ApiTestStack stack;
    private ApiHandler handler;
    private PersistOrderHandler persist;

    @BeforeEach
    void freshBucket() {
        stack = ApiTestStack.shared();
        var bucket = stack.newBucket();
        handler = stack.handler(bucket);
        persist = new PersistOrderHandler(stack.s3.client(), bucket, Clock.systemUTC());
    }

    @Test
    void storedReceived_executionRunning_isReceivedAndRunning_withNoStoredStatus() {
        var order = receivedOrder();

        var reply = call(handler, get("/orders/" + order.orderId()));

        assertThat(reply.json().path("status").asText()).isEqualTo("RECEIVED");
        assertThat(reply.json().path("executionStatus").asText()).isEqualTo("RUNNING");
        assertThat(reply.json().has("storedStatus")).isFalse();
    }

    @Test
    void storedReceived_executionTimedOut_isFailed_namingBothStatuses() {
        var order = receivedOrder();
        stack.sfn.close(executionArn(order), "TIMED_OUT", null, "States.Timeout");

        var reply = call(handler, get("/orders/" + order.orderId()));

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("status").asText()).isEqualTo("FAILED");
        assertThat(reply.json().path("storedStatus").asText()).isEqualTo("RECEIVED");
        assertThat(reply.json().path("executionStatus").asText()).isEqualTo("TIMED_OUT");
        assertThat(reply.json().at("/failure/error").asText()).isEqualTo("States.Timeout");
        assertThat(reply.json().path("reason").asText()).contains("TIMED_OUT", "before it stored");
        assertThat(reply.json().at("/order/orderId").asText()).isEqualTo(order.orderId());
    }

    @Test
    void storedReceived_executionFailedWithAJavaError_showsOnlyAPublicName() {
        var order = receivedOrder();
        stack.sfn.close(executionArn(order), "FAILED", null, "com.orderflow.SomethingException");

        var reply = call(handler, get("/orders/" + order.orderId()));

        assertThat(reply.json().path("status").asText()).isEqualTo("FAILED");
        assertThat(reply.json().at("/failure/error").asText()).isEqualTo("InternalError");
        assertThat(reply.rawBody()).doesNotContain("com.orderflow");
    }

    @Test
    void storedReceived_executionSucceeded_isTheOutcomeTheRunReached() throws IOException {
        var order = receivedOrder();
        var outcome = OrderOutcome.merge(
                new InventoryResult(order.orderId(), InventoryResult.Status.RESERVED, "res_1", List.of()),
                new PaymentResult(order.orderId(), PaymentResult.Status.AUTHORIZED, "auth_1", null));
        var output = Json.mapper().createObjectNode();
        output.set("outcome", Json.mapper().valueToTree(outcome));
        stack.sfn.close(executionArn(order), "SUCCEEDED", output.toString(), null);

        var reply = call(handler, get("/orders/" + order.orderId()));

        assertThat(reply.json().path("status").asText()).isEqualTo("COMPLETED");
        assertThat(reply.json().path("storedStatus").asText()).isEqualTo("RECEIVED");
        assertThat(reply.json().path("executionStatus").asText()).isEqualTo("SUCCEEDED");
        assertThat(reply.json().at("/inventory/status").asText()).isEqualTo("RESERVED");
    }

    @Test
    void storedFinal_isTheStoredRecord_whateverTheExecutionSays() {
        var order = receivedOrder();
        store(order, OrderOutcome.failed(new FailureInfo("States.Timeout", "slow")));
        stack.sfn.close(executionArn(order), "FAILED", null, "OrderFailed");

        var reply = call(handler, get("/orders/" + order.orderId()));

        assertThat(reply.json().path("status").asText()).isEqualTo("FAILED");
        assertThat(reply.json().has("storedStatus")).isFalse();
        assertThat(reply.json().at("/failure/error").asText()).isEqualTo("States.Timeout");
    }

    @Test
    void nothingStored_executionSucceeded_isNeverReceived() {
        var created = call(handler, postJson(ORDER, Map.of()));
        var arn = created.json().path("executionArn").asText();
        var output = Json.mapper().createObjectNode();
        output.putObject("outcome").put("status", "REJECTED").put("reason", "Validation: unknown SKU");
        stack.sfn.close(arn, "SUCCEEDED", output.toString(), null);

        var reply = call(handler, get("/orders/" + created.json().path("orderId").asText()));

        assertThat(reply.json().path("status").asText()).isEqualTo("REJECTED");
        assertThat(reply.json().path("reason").asText()).isEqualTo("Validation: unknown SKU");
        assertThat(reply.json().path("executionStatus").asText()).isEqualTo("SUCCEEDED");
    }

    @Test
    void nothingStored_executionSucceededWithoutAnOutcome_isFailed() {
        var created = call(handler, postJson(ORDER, Map.of()));
        stack.sfn.close(created.json().path("executionArn").asText(), "SUCCEEDED", "{}", null);

        var reply = call(handler, get("/orders/" + created.json().path("orderId").asText()));

        assertThat(reply.json().path("status").asText()).isEqualTo("FAILED");
    }

    private Order receivedOrder() {
        var created = call(handler, postJson(ORDER, Map.of()));
        var order = orderOf(created.json().path("executionArn").asText());
        store(order, OrderOutcome.received());
        return order;
    }

    private static String executionArn(Order order) {
        return StateMachineArn.parse(ApiTestStack.STATE_MACHINE_ARN).executionArn(order.orderId());
    }

    private Order orderOf(String executionArn) {
        try {
            return Json.mapper().treeToValue(
                    Json.mapper().readTree(stack.sfn.execution(executionArn).input()).get("order"), Order.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void store(Order order, OrderOutcome outcome) {
        persist.handleRequest(new PersistOrderInput(order, outcome, executionArn(order)), null);
    }
}
