package com.orderflow.order;

import java.util.Objects;

/**
 * The workflow's verdict on an order: its status, why, what compensation it needs, and the step results
 * it was decided from. MergeResults produces it; PersistOrder stores it.
 */
public record OrderOutcome(
        OrderStatus status,
        String reason,
        Compensation compensation,
        InventoryResult inventory,
        PaymentResult payment,
        FailureInfo failure) {

    public OrderOutcome {
        compensation = compensation == null ? Compensation.NONE : compensation;
    }

    /** The first version of every order: accepted, not yet decided. */
    public static OrderOutcome received() {
        return new OrderOutcome(OrderStatus.RECEIVED, null, Compensation.NONE, null, null, null);
    }

    /** Decides the order from the two parallel results; business outcomes only, never an exception. */
    public static OrderOutcome merge(InventoryResult inventory, PaymentResult payment) {
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(payment, "payment");
        var reserved = inventory.reserved();
        var authorized = payment.authorized();
        if (reserved && authorized) {
            return new OrderOutcome(OrderStatus.COMPLETED, null, Compensation.NONE, inventory, payment, null);
        }
        var compensation = reserved ? Compensation.RELEASE_INVENTORY
                : authorized ? Compensation.VOID_PAYMENT
                : Compensation.NONE;
        var reasons = new StringBuilder();
        if (!reserved) {
            reasons.append("Inventory.OutOfStock: ").append(String.join(", ", inventory.unavailableSkus()));
        }
        if (!authorized) {
            if (!reasons.isEmpty()) {
                reasons.append("; ");
            }
            reasons.append("Payment.Declined: ").append(payment.declineReason());
        }
        return new OrderOutcome(OrderStatus.REJECTED, reasons.toString(), compensation, inventory, payment, null);
    }

    /** A technical failure that survived the retries. */
    public static OrderOutcome failed(FailureInfo failure) {
        Objects.requireNonNull(failure, "failure");
        return new OrderOutcome(OrderStatus.FAILED, "Technical failure: " + failure.error(), Compensation.NONE,
                null, null, failure);
    }
}
