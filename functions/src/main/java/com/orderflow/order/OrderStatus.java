package com.orderflow.order;

/** Every status an order passes through; each one is stored as a new S3 version of the order. */
public enum OrderStatus {
    /** Accepted by the API; the workflow has started. */
    RECEIVED,
    /** Inventory reserved and payment authorized. */
    COMPLETED,
    /** A business rule said no (invalid order, out of stock, payment declined). */
    REJECTED,
    /** A technical failure survived the retries; whatever may have happened was compensated. */
    FAILED;

    /** True for the statuses an order ends in. */
    public boolean isFinal() {
        return this != RECEIVED;
    }
}
