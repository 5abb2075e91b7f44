package com.orderflow.workflow.inventory;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.orderflow.order.PrimingOrders;
import com.orderflow.order.inventory.InventoryService;
import com.orderflow.order.inventory.ReleaseResult;
import com.orderflow.order.inventory.SimulatedInventory;
import com.orderflow.priming.PrimedHandler;
import com.orderflow.priming.Priming;
import com.orderflow.workflow.CompensationInput;
import com.orderflow.workflow.InvalidStepInputException;

import java.util.List;

/** ReleaseInventory: gives back an order's reservation; idempotent, so safe to run when nothing was reserved. */
public final class ReleaseInventoryHandler implements RequestHandler<CompensationInput, ReleaseResult>, PrimedHandler {

    private final InventoryService inventory;

    public ReleaseInventoryHandler() {
        this(SimulatedInventory.shared());
    }

    public ReleaseInventoryHandler(InventoryService inventory) {
        this.inventory = inventory;
        Priming.register(this);
    }

    @Override
    public List<String> primingEvents() {
        return List.of(
                "{\"orderId\":\"" + PrimingOrders.ORDER_ID + "\"}");
    }

    @Override
    public ReleaseResult handleRequest(CompensationInput input, Context context) {
        var orderId = InvalidStepInputException.require(input, "input").requireOrderId();
        return inventory.release(orderId);
    }
}
