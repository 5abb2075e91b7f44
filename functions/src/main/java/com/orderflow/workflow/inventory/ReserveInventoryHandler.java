package com.orderflow.workflow.inventory;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.orderflow.order.InventoryResult;
import com.orderflow.order.PrimingOrders;
import com.orderflow.order.inventory.InventoryService;
import com.orderflow.order.inventory.SimulatedInventory;
import com.orderflow.priming.PrimedHandler;
import com.orderflow.priming.Priming;
import com.orderflow.workflow.InvalidStepInputException;
import com.orderflow.workflow.OrderInput;

import java.util.List;

/** ReserveInventory: reserves every line of the order, answering RESERVED or OUT_OF_STOCK. */
public final class ReserveInventoryHandler implements RequestHandler<OrderInput, InventoryResult>, PrimedHandler {

    private final InventoryService inventory;

    public ReserveInventoryHandler() {
        this(SimulatedInventory.shared());
    }

    public ReserveInventoryHandler(InventoryService inventory) {
        this.inventory = inventory;
        Priming.register(this);
    }

    @Override
    public List<String> primingEvents() {
        return List.of(
                "{\"order\":" + PrimingOrders.COMPLETING + "}",
                "{\"order\":" + PrimingOrders.OUT_OF_STOCK + "}",
                "{\"order\":{\"customer\":{}}}");
    }

    @Override
    public void afterPriming() {
        inventory.release(PrimingOrders.ORDER_ID);
    }

    @Override
    public InventoryResult handleRequest(OrderInput input, Context context) {
        var order = InvalidStepInputException.require(input, "order").requireOrderWithLines();
        return inventory.reserve(order);
    }
}
