package com.orderflow.workflow;

import com.orderflow.order.OrderId;

/** Input of ReleaseInventory and VoidPayment: {@code {"orderId": "ord_..."}}; they act by order id alone. */
public record CompensationInput(String orderId) {

    public String requireOrderId() {
        InvalidStepInputException.require(orderId, "orderId");
        if (!OrderId.isValid(orderId)) {
            throw new InvalidStepInputException("orderId must match " + OrderId.PATTERN.pattern());
        }
        return orderId;
    }
}
