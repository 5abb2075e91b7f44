package com.orderflow.order.inventory;

import com.orderflow.order.InventoryResult;
import com.orderflow.order.Order;

/** Reserves and releases stock for an order; both are idempotent by order id. */
public interface InventoryService {

    /** Reserves every line of the order, or none: RESERVED, or OUT_OF_STOCK naming the short SKUs. */
    InventoryResult reserve(Order order);

    /** Gives back the order's reservation; releasing an unknown or already released order does nothing. */
    ReleaseResult release(String orderId);
}
