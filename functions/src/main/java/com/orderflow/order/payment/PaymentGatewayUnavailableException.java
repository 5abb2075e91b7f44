package com.orderflow.order.payment;

/**
 * A transient gateway failure: the workflow retries it. Its class name is the Step Functions error name
 * ({@code com.orderflow.order.payment.PaymentGatewayUnavailableException}), so do not move or rename it.
 */
public class PaymentGatewayUnavailableException extends RuntimeException {

    public PaymentGatewayUnavailableException(String message) {
        super(message);
    }
}
