package com.orderflow.order;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/** A catalog entry: a SKU, its display name and its list price in each supported currency. */
public record Product(String sku, String name, Map<CurrencyCode, BigDecimal> prices) {

    public Product {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(name, "name");
        prices = Map.copyOf(prices);
    }

    /** The list price in {@code currency}, or null when the product is not sold in it. */
    public BigDecimal priceIn(CurrencyCode currency) {
        return prices.get(currency);
    }
}
