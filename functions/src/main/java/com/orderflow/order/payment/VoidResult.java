package com.orderflow.order.payment;

/** What VoidPayment did: voided an authorization, or found nothing to void (a no-op success). */
public record VoidResult(String orderId, Action action, String authorizationId) {

    public enum Action { VOIDED, NOTHING_TO_VOID }
}
