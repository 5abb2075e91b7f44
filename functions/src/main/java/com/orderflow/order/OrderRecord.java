package com.orderflow.order;

import java.time.Instant;
import java.util.Optional;

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

    /** Where every order record's key starts: the bucket's listing of orders is the listing of this prefix. */
    public static final String KEY_PREFIX = "orders/";
    private static final String KEY_SUFFIX = ".json";

    /** The S3 key of an order's record: the one place that knows how an order id becomes a key. */
    public static String key(String orderId) {
        return KEY_PREFIX + orderId + KEY_SUFFIX;
    }

    /** The order id whose record {@code key} is, if it is one (a listing may hold other keys). */
    public static Optional<String> orderIdOfKey(String key) {
        if (key == null || !key.startsWith(KEY_PREFIX) || !key.endsWith(KEY_SUFFIX)
                || key.length() < KEY_PREFIX.length() + KEY_SUFFIX.length()) {
            return Optional.empty();
        }
        var orderId = key.substring(KEY_PREFIX.length(), key.length() - KEY_SUFFIX.length());
        return OrderId.isValid(orderId) ? Optional.of(orderId) : Optional.empty();
    }
}
