package com.orderflow.order.payment;

import com.orderflow.order.Order;
import com.orderflow.order.PaymentResult;

/** Authorizes and voids card payments for an order; both are idempotent by order id. */
public interface PaymentGateway {

    /**
     * Authorizes the order's total: AUTHORIZED or DECLINED.
     *
     * @param attempt 0 for the first try, then the workflow's retry count
     * @throws PaymentGatewayUnavailableException on a transient failure worth retrying
     * @throws PaymentGatewayException on a technical failure that retrying will not fix
     */
    PaymentResult authorize(Order order, int attempt);

    /** Voids the order's authorization; voiding an unknown or already voided order does nothing. */
    VoidResult voidAuthorization(String orderId);
}
