package com.orderflow.order.payment;

import com.orderflow.order.Order;
import com.orderflow.order.PaymentResult;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A deterministic stand-in for a card gateway, driven by test tokens in the style of well-known payment
 * test tokens. It keeps no per-attempt state: the transient failure of {@code tok_flaky} depends only on
 * the attempt number the workflow passes in. Authorizations are remembered per order id so voids are
 * idempotent.
 */
public final class SimulatedPaymentGateway implements PaymentGateway {

    public static final Set<String> APPROVED_TOKENS = Set.of("tok_visa", "tok_mastercard", "tok_amex");
    public static final Map<String, String> DECLINED_TOKENS = Map.of(
            "tok_chargeDeclined", "card declined",
            "tok_chargeDeclinedInsufficientFunds", "insufficient funds");
    public static final String FLAKY_TOKEN = "tok_flaky";
    public static final String GATEWAY_ERROR_TOKEN = "tok_gatewayError";
    /** {@code tok_flaky} fails on attempts 0 and 1 and is authorized from attempt 2 on. */
    public static final int FLAKY_FAILED_ATTEMPTS = 2;

    // one per JVM: in the in-process local stack Authorize and Void then see the same authorizations
    private static final SimulatedPaymentGateway SHARED = new SimulatedPaymentGateway();

    private final Map<String, String> authorizationsByOrderId = new ConcurrentHashMap<>();

    private SimulatedPaymentGateway() {
    }

    /** A fresh gateway that remembers no authorizations (tests use one each). */
    public static SimulatedPaymentGateway standard() {
        return new SimulatedPaymentGateway();
    }

    /** The JVM-wide instance the handlers' no-arg constructors use. */
    public static SimulatedPaymentGateway shared() {
        return SHARED;
    }

    @Override
    public PaymentResult authorize(Order order, int attempt) {
        var orderId = order.orderId();
        var token = order.payment() == null ? null : order.payment().token();
        if (APPROVED_TOKENS.contains(token)) {
            return authorized(orderId);
        }
        if (FLAKY_TOKEN.equals(token)) {
            if (attempt < FLAKY_FAILED_ATTEMPTS) {
                throw new PaymentGatewayUnavailableException("Payment.GatewayUnavailable: gateway timed out on attempt "
                        + attempt + " (" + token + ")");
            }
            return authorized(orderId);
        }
        if (GATEWAY_ERROR_TOKEN.equals(token)) {
            throw new PaymentGatewayException("Payment.GatewayError: gateway rejected the request (" + token + ")");
        }
        var declineReason = DECLINED_TOKENS.get(token);
        if (declineReason != null) {
            return new PaymentResult(orderId, PaymentResult.Status.DECLINED, null, declineReason + " (" + token + ")");
        }
        return new PaymentResult(orderId, PaymentResult.Status.DECLINED, null, "unknown payment token (" + token + ")");
    }

    @Override
    public VoidResult voidAuthorization(String orderId) {
        var voided = authorizationsByOrderId.remove(orderId);
        if (voided == null) {
            return new VoidResult(orderId, VoidResult.Action.NOTHING_TO_VOID, null);
        }
        return new VoidResult(orderId, VoidResult.Action.VOIDED, voided);
    }

    /** True while the order holds an authorization. */
    public boolean holdsAuthorization(String orderId) {
        return authorizationsByOrderId.containsKey(orderId);
    }

    private PaymentResult authorized(String orderId) {
        var authorizationId = authorizationsByOrderId.computeIfAbsent(orderId, SimulatedPaymentGateway::authorizationIdFor);
        return new PaymentResult(orderId, PaymentResult.Status.AUTHORIZED, authorizationId, null);
    }

    // derived from the order id so a retried authorization gets the same id
    private static String authorizationIdFor(String orderId) {
        return "auth_" + (orderId.startsWith("ord_") ? orderId.substring(4) : orderId);
    }
}
