package com.orderflow.order;

import java.time.Instant;

/**
 * The stored form of an order: the body of every S3 version of {@code orders/{orderId}.json}.
 * Fields that a status has not reached yet are null (and omitted from the JSON).
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
        Instant updatedAt) {

    /** The record of {@code order} at the status {@code outcome} decided, as of {@code at}. */
    public static OrderRecord of(Order order, OrderOutcome outcome, String executionArn, Instant at) {
        return new OrderRecord(order.orderId(), outcome.status(), outcome.reason(), order,
                outcome.inventory(), outcome.payment(), outcome.failure(), executionArn, at);
    }

    /** The S3 key of an order's record. */
    public static String key(String orderId) {
        return "orders/" + orderId + ".json";
    }
}
