package com.orderflow.api.orders;

import com.orderflow.order.Order;

/** What the API passes to StartExecution: the order under its id and the hash of the request that created it. */
public record ExecutionInput(Order order, String requestHash) {
}
