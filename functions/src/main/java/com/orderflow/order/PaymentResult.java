package com.orderflow.order;

/**
 * What AuthorizePayment returns: AUTHORIZED with an authorization id, or DECLINED with a reason.
 * A business outcome, never an exception.
 */
public record PaymentResult(String orderId, Status status, String authorizationId, String declineReason) {

    public enum Status { AUTHORIZED, DECLINED }

    public boolean authorized() {
        return status == Status.AUTHORIZED;
    }
}
