package com.orderflow.api.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import com.orderflow.order.FailureInfo;
import com.orderflow.order.InventoryResult;
import com.orderflow.order.Order;
import com.orderflow.order.OrderRecord;
import com.orderflow.order.OrderStatus;
import com.orderflow.order.PaymentResult;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * What an order's execution says about it: the order while nothing is stored yet (the first moments after
 * {@code POST /orders}, or a run that failed before its first write), and the status a closed run reached when
 * the stored record still says {@code RECEIVED}.
 */
public final class InFlightOrders {

    /** The order as its execution describes it, with Step Functions' own status of the run. */
    public record InFlight(OrderRecord record, String executionStatus, boolean open) {
    }

    private final SfnClient sfn;
    private final StateMachineArn stateMachine;

    public InFlightOrders(SfnClient sfn, StateMachineArn stateMachine) {
        this.sfn = sfn;
        this.stateMachine = stateMachine;
    }

    /** The order as its execution tells it, or empty when the order has no execution. */
    public Optional<InFlight> find(String orderId) {
        var executionArn = stateMachine.executionArn(orderId);
        DescribeExecutionResponse execution;
        try {
            execution = sfn.describeExecution(b -> b.executionArn(executionArn));
        } catch (ExecutionDoesNotExistException e) {
            return Optional.empty();
        }
        var open = execution.status() == ExecutionStatus.RUNNING || execution.status() == ExecutionStatus.PENDING_REDRIVE;
        var order = orderOf(execution.input());
        var record = open
                ? new OrderRecord(orderId, OrderStatus.RECEIVED, null, order, null, null, null,
                        execution.executionArn(), execution.startDate())
                : closed(orderId, order, execution);
        return Optional.of(new InFlight(record, execution.statusAsString(), open));
    }

    /**
     * The order's status once its run has closed: a SUCCEEDED run's output carries the verdict it stored
     * ({@code $.outcome}); a run that failed, timed out or was stopped before storing a final status leaves the
     * order FAILED, under the run's error name.
     */
    private static OrderRecord closed(String orderId, Order order, DescribeExecutionResponse execution) {
        var at = execution.stopDate() != null ? execution.stopDate() : Instant.now();
        var outcome = outcomeOf(execution.output());
        if (execution.status() == ExecutionStatus.SUCCEEDED && outcome != null) {
            var status = status(outcome.path("status").asText(null));
            if (status != null && status.isFinal()) {
                return new OrderRecord(orderId, status, outcome.path("reason").asText(null), order,
                        value(outcome.get("inventory"), InventoryResult.class),
                        value(outcome.get("payment"), PaymentResult.class),
                        value(outcome.get("failure"), FailureInfo.class), execution.executionArn(), at);
            }
        }
        var error = execution.error() != null ? execution.error()
                : execution.status() == ExecutionStatus.TIMED_OUT ? "States.Timeout" : null;
        return new OrderRecord(orderId, OrderStatus.FAILED,
                "The workflow ended " + execution.statusAsString() + " before it stored the order's final status.",
                order, null, null, error == null ? null : new FailureInfo(error, null), execution.executionArn(), at);
    }

    private static OrderStatus status(String name) {
        if (name == null) {
            return null;
        }
        try {
            return OrderStatus.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static JsonNode outcomeOf(String output) {
        if (output == null) {
            return null;
        }
        try {
            var outcome = Json.mapper().readTree(output).path("outcome");
            return outcome.isObject() ? outcome : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static <T> T value(JsonNode node, Class<T> type) {
        if (node == null || !node.isObject()) {
            return null;
        }
        try {
            return Json.mapper().treeToValue(node, type);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static Order orderOf(String input) {
        if (input == null) {
            return null;
        }
        try {
            var order = Json.mapper().readTree(input).path("order");
            return order.isObject() ? Json.mapper().treeToValue(order, Order.class) : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
