package com.orderflow.workflow.payment;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.orderflow.order.PrimingOrders;
import com.orderflow.order.payment.PaymentGateway;
import com.orderflow.order.payment.SimulatedPaymentGateway;
import com.orderflow.order.payment.VoidResult;
import com.orderflow.priming.PrimedHandler;
import com.orderflow.priming.Priming;
import com.orderflow.workflow.CompensationInput;
import com.orderflow.workflow.InvalidStepInputException;

import java.util.List;

/** VoidPayment: voids an order's authorization; idempotent, so safe to run when nothing was authorized. */
public final class VoidPaymentHandler implements RequestHandler<CompensationInput, VoidResult>, PrimedHandler {

    private final PaymentGateway gateway;

    public VoidPaymentHandler() {
        this(SimulatedPaymentGateway.shared());
    }

    public VoidPaymentHandler(PaymentGateway gateway) {
        this.gateway = gateway;
        Priming.register(this);
    }

    @Override
    public List<String> primingEvents() {
        return List.of(
                "{\"orderId\":\"" + PrimingOrders.ORDER_ID + "\"}");
    }

    @Override
    public VoidResult handleRequest(CompensationInput input, Context context) {
        var orderId = InvalidStepInputException.require(input, "input").requireOrderId();
        return gateway.voidAuthorization(orderId);
    }
}
