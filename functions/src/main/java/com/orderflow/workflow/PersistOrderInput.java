package com.orderflow.workflow;

import com.orderflow.order.Order;
import com.orderflow.order.OrderOutcome;

/**
 * Input of PersistOrder: the order, the outcome to record (RECEIVED, COMPLETED, REJECTED or FAILED) and
 * the execution that produced it ({@code $$.Execution.Id}).
 */
public record PersistOrderInput(Order order, OrderOutcome outcome, String executionArn) {
}
