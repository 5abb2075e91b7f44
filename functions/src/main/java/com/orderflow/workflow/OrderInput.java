package com.orderflow.workflow;

import com.orderflow.order.Order;
import com.orderflow.order.OrderId;

import static com.orderflow.workflow.InvalidStepInputException.require;

/** Input of ValidateOrder and ReserveInventory: {@code {"order": {...}}}. */
public record OrderInput(Order order) {

    /** The order, after checking that it is present and carries a well-formed id. */
    public Order requireOrder() {
        return requireIdentified(order, "order");
    }

    /** The order, after checking its id and that every line names a SKU (which reserving stock needs). */
    public Order requireOrderWithLines() {
        return requireLines(order, "order");
    }

    /** Checks the parts of an order every step relies on: the order itself and its id. */
    public static Order requireIdentified(Order order, String field) {
        require(order, field);
        var id = require(order.orderId(), field + ".orderId");
        if (!OrderId.isValid(id)) {
            throw new InvalidStepInputException(field + ".orderId must match " + OrderId.PATTERN.pattern());
        }
        return order;
    }

    /** Checks, beyond the id, that every line names a SKU, which reserving stock needs. */
    public static Order requireLines(Order order, String field) {
        requireIdentified(order, field);
        for (int i = 0; i < order.items().size(); i++) {
            var item = require(order.items().get(i), field + ".items[" + i + "]");
            require(item.sku(), field + ".items[" + i + "].sku");
        }
        return order;
    }
}
