package com.orderflow.workflow.payment;

import com.orderflow.order.Order;
import com.orderflow.order.PaymentResult;
import com.orderflow.order.TestOrders;
import com.orderflow.order.payment.PaymentGatewayException;
import com.orderflow.order.payment.PaymentGatewayUnavailableException;
import com.orderflow.order.payment.SimulatedPaymentGateway;
import com.orderflow.order.payment.VoidResult;
import com.orderflow.workflow.AuthorizePaymentInput;
import com.orderflow.workflow.CompensationInput;
import com.orderflow.workflow.InvalidStepInputException;
import org.junit.jupiter.api.Test;

import static com.orderflow.order.TestOrders.line;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaymentHandlersTest {

    private final SimulatedPaymentGateway gateway = SimulatedPaymentGateway.standard();
    private final AuthorizePaymentHandler authorize = new AuthorizePaymentHandler(gateway);
    private final VoidPaymentHandler voidPayment = new VoidPaymentHandler(gateway);

    private static Order paidWith(String token) {
        return TestOrders.order(token, "12.50", line("SKU-MUG-002", 1, "12.50"));
    }

    @Test
    void approvedToken_isAuthorized() {
        var result = authorize.handleRequest(new AuthorizePaymentInput(paidWith("tok_visa"), 0), null);

        assertThat(result.status()).isEqualTo(PaymentResult.Status.AUTHORIZED);
    }

    @Test
    void declinedToken_isAResult_notAnError() {
        var result = authorize.handleRequest(new AuthorizePaymentInput(paidWith("tok_chargeDeclinedInsufficientFunds"), 0), null);

        assertThat(result.status()).isEqualTo(PaymentResult.Status.DECLINED);
        assertThat(result.declineReason()).isEqualTo("insufficient funds (tok_chargeDeclinedInsufficientFunds)");
    }

    @Test
    void flakyToken_throwsTheRetriedException_untilTheThirdAttempt() {
        assertThatThrownBy(() -> authorize.handleRequest(new AuthorizePaymentInput(paidWith("tok_flaky"), null), null))
                .isExactlyInstanceOf(PaymentGatewayUnavailableException.class)
                .hasMessageContaining("attempt 0");
        assertThatThrownBy(() -> authorize.handleRequest(new AuthorizePaymentInput(paidWith("tok_flaky"), 1), null))
                .isExactlyInstanceOf(PaymentGatewayUnavailableException.class);
        assertThat(authorize.handleRequest(new AuthorizePaymentInput(paidWith("tok_flaky"), 2), null).status())
                .isEqualTo(PaymentResult.Status.AUTHORIZED);
    }

    @Test
    void gatewayErrorToken_throwsThePermanentException() {
        assertThatThrownBy(() -> authorize.handleRequest(new AuthorizePaymentInput(paidWith("tok_gatewayError"), 2), null))
                .isExactlyInstanceOf(PaymentGatewayException.class);
    }

    @Test
    void void_twice_voidsThenReportsNothingToVoid() {
        authorize.handleRequest(new AuthorizePaymentInput(paidWith("tok_visa"), 0), null);

        var first = voidPayment.handleRequest(new CompensationInput(TestOrders.ORDER_ID), null);
        var second = voidPayment.handleRequest(new CompensationInput(TestOrders.ORDER_ID), null);

        assertThat(first.action()).isEqualTo(VoidResult.Action.VOIDED);
        assertThat(second).isEqualTo(new VoidResult(TestOrders.ORDER_ID, VoidResult.Action.NOTHING_TO_VOID, null));
    }

    @Test
    void void_whenNothingWasAuthorized_isANoOpSuccess() {
        assertThat(voidPayment.handleRequest(new CompensationInput(TestOrders.ORDER_ID), null).action())
                .isEqualTo(VoidResult.Action.NOTHING_TO_VOID);
    }

    @Test
    void badInput_isNamedInvalidStepInput() {
        var o = paidWith("tok_visa");
        var noPayment = new Order(o.orderId(), o.customer(), o.currency(), o.items(), null, o.total());

        assertThatThrownBy(() -> authorize.handleRequest(new AuthorizePaymentInput(noPayment, 0), null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessage("Step.InvalidInput: order.payment is required");
        assertThatThrownBy(() -> authorize.handleRequest(new AuthorizePaymentInput(null, 0), null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessage("Step.InvalidInput: order is required");
        assertThatThrownBy(() -> authorize.handleRequest(new AuthorizePaymentInput(o, -1), null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessage("Step.InvalidInput: attempt must not be negative (was -1)");
        assertThatThrownBy(() -> voidPayment.handleRequest(new CompensationInput(""), null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessageStartingWith("Step.InvalidInput: orderId must match");
    }
}
