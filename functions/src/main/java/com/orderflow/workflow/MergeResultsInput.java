package com.orderflow.workflow;

import com.orderflow.order.InventoryResult;
import com.orderflow.order.Order;
import com.orderflow.order.PaymentResult;

/** Input of MergeResults: the order and what the two parallel branches returned. */
public record MergeResultsInput(Order order, InventoryResult inventory, PaymentResult payment) {
}
