package com.orderflow.order;

/** Who placed the order. */
public record Customer(String id, String name, String email) {
}
