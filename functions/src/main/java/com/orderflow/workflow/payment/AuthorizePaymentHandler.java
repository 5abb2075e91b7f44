package com.orderflow.workflow.payment;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.orderflow.order.PaymentResult;
import com.orderflow.order.PrimingOrders;
import com.orderflow.order.payment.PaymentGateway;
import com.orderflow.order.payment.SimulatedPaymentGateway;
import com.orderflow.priming.PrimedHandler;
import com.orderflow.priming.Priming;
import com.orderflow.workflow.AuthorizePaymentInput;
import com.orderflow.workflow.InvalidStepInputException;
import com.orderflow.workflow.OrderInput;

import java.util.List;

/**
 * AuthorizePayment: authorizes the order's total, answering AUTHORIZED or DECLINED; gateway failures
 * surface as exceptions whose class names the state machine retries or catches.
 */
public final class AuthorizePaymentHandler implements RequestHandler<AuthorizePaymentInput, PaymentResult>, PrimedHandler {

    private final PaymentGateway gateway;

    public AuthorizePaymentHandler() {
        this(SimulatedPaymentGateway.shared());
    }

    public AuthorizePaymentHandler(PaymentGateway gateway) {
        this.gateway = gateway;
        Priming.register(this);
    }

    @Override
    public List<String> primingEvents() {
        return List.of(
                "{\"order\":" + PrimingOrders.COMPLETING + ",\"attempt\":0}",
                "{\"order\":" + PrimingOrders.DECLINED + ",\"attempt\":0}",
                "{\"order\":" + PrimingOrders.UNKNOWN_CARD + "}");
    }

    @Override
    public void afterPriming() {
        gateway.voidAuthorization(PrimingOrders.ORDER_ID);
    }

    @Override
    public PaymentResult handleRequest(AuthorizePaymentInput input, Context context) {
        InvalidStepInputException.require(input, "input");
        var order = OrderInput.requireIdentified(input.order(), "order");
        InvalidStepInputException.require(order.payment(), "order.payment");
        return gateway.authorize(order, input.attemptOrFirst());
    }
}
