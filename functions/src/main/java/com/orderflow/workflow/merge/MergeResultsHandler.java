package com.orderflow.workflow.merge;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.orderflow.order.OrderOutcome;
import com.orderflow.priming.Priming;
import com.orderflow.priming.PrimingSamples;
import com.orderflow.workflow.InvalidStepInputException;
import com.orderflow.workflow.MergeResultsInput;

/** MergeResults: turns the inventory and payment results into the order's status and the compensation it needs. */
public final class MergeResultsHandler implements RequestHandler<MergeResultsInput, OrderOutcome> {

    public MergeResultsHandler() {
        Priming.register(this, PrimingSamples.MERGE_RESULTS);
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
