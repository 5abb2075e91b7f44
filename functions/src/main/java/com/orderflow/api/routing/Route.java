package com.orderflow.api.routing;

/** The operations this API offers; {@code orderId} is the raw path segment, not yet validated. */
public sealed interface Route {

    record CreateOrder() implements Route {
    }

    record ListOrders() implements Route {
    }

    record GetOrder(String orderId) implements Route {
    }

    record GetOrderHistory(String orderId) implements Route {
    }
}
