package com.orderflow.order;

import java.math.BigDecimal;

/** One SKU in an order: how many and at what unit price (in the order's currency). */
public record LineItem(String sku, int quantity, BigDecimal unitPrice) {
}
