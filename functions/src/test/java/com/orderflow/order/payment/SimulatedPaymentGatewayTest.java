package com.orderflow.order.payment;

import com.orderflow.order.Order;
import com.orderflow.order.PaymentResult;
import com.orderflow.order.TestOrders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static com.orderflow.order.TestOrders.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatedPaymentGatewayTest {

    private final SimulatedPaymentGateway gateway = SimulatedPaymentGateway.standard();

    private static Order paidWith(String token) {
        return TestOrders.order(token, "12.50", line("SKU-MUG-002", 1, "12.50"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tok_visa", "tok_mastercard", "tok_amex"})
    void approvedTokens_areAuthorized(String token) {
        var result = gateway.authorize(paidWith(token), 0);

        assertThat(result.status()).isEqualTo(PaymentResult.Status.AUTHORIZED);
        assertThat(result.authorizationId()).isEqualTo("auth_01jd8x7k2m9q4r5s6t7v8w9x0y");
        assertThat(gateway.holdsAuthorization(TestOrders.ORDER_ID)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "tok_chargeDeclined, card declined (tok_chargeDeclined)",
            "tok_chargeDeclinedInsufficientFunds, insufficient funds (tok_chargeDeclinedInsufficientFunds)",
            "tok_somethingElse, unknown payment token (tok_somethingElse)"})
    void declinedAndUnknownTokens_areDeclinedWithAReason(String token, String reason) {
        var result = gateway.authorize(paidWith(token), 0);

        assertThat(result).isEqualTo(new PaymentResult(TestOrders.ORDER_ID, PaymentResult.Status.DECLINED, null, reason));
        assertThat(gateway.holdsAuthorization(TestOrders.ORDER_ID)).isFalse();
    }

    @Test
    void flakyToken_failsTransientlyOnTheFirstTwoAttempts_thenIsAuthorized() {
        var order = paidWith("tok_flaky");

        assertThatThrownBy(() -> gateway.authorize(order, 0))
                .isInstanceOf(PaymentGatewayUnavailableException.class)
                .hasMessage("Payment.GatewayUnavailable: gateway timed out on attempt 0 (tok_flaky)");
        assertThatThrownBy(() -> gateway.authorize(order, 1)).isInstanceOf(PaymentGatewayUnavailableException.class);
        assertThat(gateway.authorize(order, 2).status()).isEqualTo(PaymentResult.Status.AUTHORIZED);
    }

    @Test
    void flakyToken_dependsOnlyOnTheAttemptNumber_notOnHistory() {
        var order = paidWith("tok_flaky");

        assertThat(gateway.authorize(order, 2).status()).isEqualTo(PaymentResult.Status.AUTHORIZED);
        assertThatThrownBy(() -> gateway.authorize(order, 0)).isInstanceOf(PaymentGatewayUnavailableException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 10})
    void gatewayErrorToken_failsPermanentlyOnEveryAttempt(int attempt) {
        assertThatThrownBy(() -> gateway.authorize(paidWith("tok_gatewayError"), attempt))
                .isExactlyInstanceOf(PaymentGatewayException.class)
                .hasMessage("Payment.GatewayError: gateway rejected the request (tok_gatewayError)");
    }

    @Test
    void void_afterAuthorize_voidsOnce_thenIsANoOp() {
        gateway.authorize(paidWith("tok_visa"), 0);

        var first = gateway.voidAuthorization(TestOrders.ORDER_ID);
        var second = gateway.voidAuthorization(TestOrders.ORDER_ID);

        assertThat(first).isEqualTo(new VoidResult(TestOrders.ORDER_ID, VoidResult.Action.VOIDED,
                "auth_01jd8x7k2m9q4r5s6t7v8w9x0y"));
        assertThat(second).isEqualTo(new VoidResult(TestOrders.ORDER_ID, VoidResult.Action.NOTHING_TO_VOID, null));
    }

    @Test
    void void_ofAnUnknownOrder_isANoOpSuccess() {
        assertThat(gateway.voidAuthorization("ord_zzzzzzzzzzzzzzzzzzzzzzzzzz").action())
                .isEqualTo(VoidResult.Action.NOTHING_TO_VOID);
    }

    @Test
    void authorizingTheSameOrderTwice_returnsTheSameAuthorization() {
        assertThat(gateway.authorize(paidWith("tok_visa"), 0)).isEqualTo(gateway.authorize(paidWith("tok_visa"), 1));
    }
}
