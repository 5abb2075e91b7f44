package com.orderflow.workflow.merge;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.orderflow.order.OrderOutcome;
import com.orderflow.order.PrimingOrders;
import com.orderflow.priming.PrimedHandler;
import com.orderflow.priming.Priming;
import com.orderflow.workflow.InvalidStepInputException;
import com.orderflow.workflow.MergeResultsInput;

import java.util.List;

/** MergeResults: turns the inventory and payment results into the order's status and the compensation it needs. */
public final class MergeResultsHandler implements RequestHandler<MergeResultsInput, OrderOutcome>, PrimedHandler {

    public MergeResultsHandler() {
        Priming.register(this);
    }

    @Override
    public List<String> primingEvents() {
        return List.of(
                "{\"order\":" + PrimingOrders.COMPLETING + ",\"inventory\":" + PrimingOrders.RESERVED + ",\"payment\":" + PrimingOrders.AUTHORIZED + "}",
                "{\"order\":" + PrimingOrders.COMPLETING + ",\"inventory\":" + PrimingOrders.UNAVAILABLE + ",\"payment\":" + PrimingOrders.AUTHORIZED + "}",
                "{\"order\":" + PrimingOrders.COMPLETING + ",\"inventory\":" + PrimingOrders.RESERVED + ",\"payment\":" + PrimingOrders.REFUSED + "}");
    }

    @Override
    public OrderOutcome handleRequest(MergeResultsInput input, Context context) {
        InvalidStepInputException.require(input, "input");
        var inventory = InvalidStepInputException.require(input.inventory(), "inventory");
        InvalidStepInputException.require(inventory.status(), "inventory.status");
        var payment = InvalidStepInputException.require(input.payment(), "payment");
        InvalidStepInputException.require(payment.status(), "payment.status");
        return OrderOutcome.merge(inventory, payment);
    }
}
