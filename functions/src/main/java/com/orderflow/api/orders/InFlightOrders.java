package com.orderflow.api.orders;

import com.orderflow.json.Json;
import com.orderflow.order.Order;
import com.orderflow.order.OrderRecord;
import com.orderflow.order.OrderStatus;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import java.io.IOException;
import java.util.Optional;

/**
 * What the execution knows about an order the workflow has not stored yet (the first moments after
 * {@code POST /orders}, or a run that failed before its first write).
 */
public final class InFlightOrders {

    /** The order as its execution describes it, with Step Functions' own status of the run. */
    public record InFlight(OrderRecord record, String executionStatus) {
    }

    private final SfnClient sfn;
    private final StateMachine stateMachine;

    public InFlightOrders(SfnClient sfn, StateMachine stateMachine) {
        this.sfn = sfn;
        this.stateMachine = stateMachine;
    }

    public Optional<InFlight> find(String orderId) {
        var executionArn = stateMachine.executionArn(orderId);
        DescribeExecutionResponse execution;
        try {
            execution = sfn.describeExecution(b -> b.executionArn(executionArn));
        } catch (ExecutionDoesNotExistException e) {
            return Optional.empty();
        }
        var running = execution.status() == ExecutionStatus.RUNNING || execution.status() == ExecutionStatus.PENDING_REDRIVE;
        // a closed run without a stored record ended before PersistOrder could write: it did not complete the order
        var status = running || execution.status() == ExecutionStatus.SUCCEEDED ? OrderStatus.RECEIVED : OrderStatus.FAILED;
        var updatedAt = execution.stopDate() != null ? execution.stopDate() : execution.startDate();
        var record = new OrderRecord(orderId, status,
                status == OrderStatus.FAILED ? "The workflow ended before the order was stored." : null,
                orderOf(execution.input()), null, null, null, execution.executionArn(), updatedAt);
        return Optional.of(new InFlight(record, execution.statusAsString()));
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
