package com.orderflow.order;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The SKUs orderflow sells, with their prices; an order may only name these SKUs at these prices. */
public final class ProductCatalog {

    private final Map<String, Product> bySku;

    public ProductCatalog(Collection<Product> products) {
        var map = new LinkedHashMap<String, Product>();
        for (var p : products) {
            if (map.putIfAbsent(p.sku(), p) != null) {
                throw new IllegalArgumentException("duplicate SKU in catalog: " + p.sku());
            }
        }
        this.bySku = Map.copyOf(map);
    }

    /** The catalog the simulated shop sells from (documented in the README). */
    public static ProductCatalog standard() {
        return new ProductCatalog(List.of(
                product("SKU-BOOK-001", "Paperback book", "39.99", "36.99", "31.99", "5800"),
                product("SKU-MUG-002", "Coffee mug", "12.50", "11.50", "9.99", "1800"),
                product("SKU-LAMP-003", "Desk lamp", "45.00", "42.00", "37.00", "6500"),
                product("SKU-PEN-004", "Fountain pen", "24.95", "22.95", "19.95", "3600"),
                product("SKU-RARE-404", "Signed first edition", "250.00", "230.00", "199.00", "36000")));
    }

    private static Product product(String sku, String name, String usd, String eur, String gbp, String jpy) {
        return new Product(sku, name, Map.of(
                CurrencyCode.USD, new BigDecimal(usd),
                CurrencyCode.EUR, new BigDecimal(eur),
                CurrencyCode.GBP, new BigDecimal(gbp),
                CurrencyCode.JPY, new BigDecimal(jpy)));
    }

    public Optional<Product> find(String sku) {
        return Optional.ofNullable(sku == null ? null : bySku.get(sku));
    }

    public Collection<Product> products() {
        return bySku.values();
    }
}
