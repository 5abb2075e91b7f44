package com.orderflow.order.payment;

/**
 * A technical gateway failure that retrying will not fix: the workflow compensates and fails the order.
 * Its class name is the Step Functions error name, so do not move or rename it.
 */
public class PaymentGatewayException extends RuntimeException {

    public PaymentGatewayException(String message) {
        super(message);
    }
}
