package com.orderflow.workflow;

import com.orderflow.order.Order;
import com.orderflow.order.OrderOutcome;

/**
 * Input of PersistOrder: the order, the outcome to record (RECEIVED, COMPLETED, REJECTED or FAILED), the execution
 * that produced it ({@code $$.Execution.Id}), and the version this status follows as the PersistOrder that stored it
 * returned it ({@code $.received}), or {@code null}. With it the new version is written on condition that the object
 * is still that version, instead of looking the object up first.
 */
public record PersistOrderInput(Order order, OrderOutcome outcome, String executionArn, PersistOrderResult previous) {

    /** A status to store with nothing known of the versions before it. */
    public PersistOrderInput(Order order, OrderOutcome outcome, String executionArn) {
        this(order, outcome, executionArn, null);
    }
}
