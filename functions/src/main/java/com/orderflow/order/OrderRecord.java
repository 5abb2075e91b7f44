package com.orderflow.order;

import java.time.Instant;

/**
 * The stored form of an order: the body of every S3 version of {@code orders/{orderId}.json}.
 * Fields that a status has not reached yet are null (and omitted from the JSON). {@code createdAt} is when the
 * order's first version was stored, carried into every later one; records stored before it existed have none.
 */
public record OrderRecord(
        String orderId,
        OrderStatus status,
        String reason,
        Order order,
        InventoryResult inventory,
        PaymentResult payment,
        FailureInfo failure,
        String executionArn,
        Instant updatedAt,
        Instant createdAt) {

    /** A record without its creation time (one implied by an execution, or stored before records carried it). */
    public OrderRecord(String orderId, OrderStatus status, String reason, Order order, InventoryResult inventory,
                       PaymentResult payment, FailureInfo failure, String executionArn, Instant updatedAt) {
        this(orderId, status, reason, order, inventory, payment, failure, executionArn, updatedAt, null);
    }

    /** The record of {@code order} at the status {@code outcome} decided, as of {@code at}, created at {@code createdAt}. */
    public static OrderRecord of(Order order, OrderOutcome outcome, String executionArn, Instant at, Instant createdAt) {
        return new OrderRecord(order.orderId(), outcome.status(), outcome.reason(), order,
                outcome.inventory(), outcome.payment(), outcome.failure(), executionArn, at, createdAt);
    }

    /** The record of {@code order} at the status {@code outcome} decided, as of {@code at}, created then too. */
    public static OrderRecord of(Order order, OrderOutcome outcome, String executionArn, Instant at) {
        return of(order, outcome, executionArn, at, at);
    }

    /** The S3 key of an order's record. */
    public static String key(String orderId) {
        return "orders/" + orderId + ".json";
    }
}
