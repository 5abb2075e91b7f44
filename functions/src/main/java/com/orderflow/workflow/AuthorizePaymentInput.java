package com.orderflow.workflow;

import com.orderflow.order.Order;

/**
 * Input of AuthorizePayment: the order and the attempt number, which the state machine passes from its
 * context object ({@code "attempt.$": "$$.State.RetryCount"}); a missing attempt means the first (0).
 */
public record AuthorizePaymentInput(Order order, Integer attempt) {

    public int attemptOrFirst() {
        if (attempt != null && attempt < 0) {
            throw new InvalidStepInputException("attempt must not be negative (was " + attempt + ")");
        }
        return attempt == null ? 0 : attempt;
    }
}
