package com.orderflow.order;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The business rules an order must pass before anything is reserved or charged: known SKUs at catalog
 * prices, sane quantities, a supported currency and a total that adds up exactly.
 */
public final class OrderValidator {

    public static final int MIN_QUANTITY = 1;
    public static final int MAX_QUANTITY = 1000;
    public static final int MAX_LINE_ITEMS = 100;

    private final ProductCatalog catalog;

    public OrderValidator(ProductCatalog catalog) {
        this.catalog = catalog;
    }

    /** Every rule is checked, so the customer learns all that is wrong at once. */
    public ValidationResult validate(Order order) {
        var reasons = new ArrayList<String>();
        checkCustomer(order.customer(), reasons);
        var currency = order.currency();
        if (currency == null) {
            reasons.add("currency is missing or not supported (supported: " + List.of(CurrencyCode.values()) + ")");
        }
        if (order.payment() == null || isBlank(order.payment().token())) {
            reasons.add("payment.token is required");
        }
        var pricesUsable = checkItems(order.items(), currency, reasons);
        checkTotal(order, pricesUsable, reasons);
        return reasons.isEmpty() ? ValidationResult.ok() : ValidationResult.rejected(reasons);
    }

    private static void checkCustomer(Customer customer, List<String> reasons) {
        if (customer == null) {
            reasons.add("customer is required");
            return;
        }
        if (isBlank(customer.id())) {
            reasons.add("customer.id is required");
        }
        if (isBlank(customer.name())) {
            reasons.add("customer.name is required");
        }
        if (isBlank(customer.email()) || !customer.email().matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
            reasons.add("customer.email must be an email address");
        }
    }

    /** Returns true when every line has a price at the currency's scale, so a total can be computed. */
    private boolean checkItems(List<LineItem> items, CurrencyCode currency, List<String> reasons) {
        if (items.isEmpty()) {
            reasons.add("items must contain at least one line");
            return false;
        }
        if (items.size() > MAX_LINE_ITEMS) {
            reasons.add("items must contain at most " + MAX_LINE_ITEMS + " lines");
        }
        var usable = currency != null;
        var seen = new HashSet<String>();
        for (int i = 0; i < items.size(); i++) {
            var item = items.get(i);
            var at = "items[" + i + "]";
            if (item == null) {
                reasons.add(at + " is required");
                usable = false;
                continue;
            }
            if (item.quantity() < MIN_QUANTITY || item.quantity() > MAX_QUANTITY) {
                reasons.add(at + ".quantity must be between " + MIN_QUANTITY + " and " + MAX_QUANTITY
                        + " (was " + item.quantity() + ")");
            }
            if (item.sku() != null && !seen.add(item.sku())) {
                reasons.add(at + ".sku " + item.sku() + " appears more than once");
            }
            var product = catalog.find(item.sku());
            if (product.isEmpty()) {
                reasons.add(at + ".sku " + (item.sku() == null ? "is required" : item.sku() + " is not in the catalog"));
            }
            var price = item.unitPrice();
            if (price == null) {
                reasons.add(at + ".unitPrice is required");
                usable = false;
                continue;
            }
            if (currency == null) {
                continue;
            }
            if (price.signum() < 0 || !currency.fits(price)) {
                reasons.add(at + ".unitPrice " + price.toPlainString() + " is not a valid " + currency + " amount");
                usable = false;
                continue;
            }
            if (product.isPresent()) {
                var listPrice = product.get().priceIn(currency);
                if (listPrice == null || listPrice.compareTo(price) != 0) {
                    reasons.add(at + ".unitPrice " + price.toPlainString() + " does not match the catalog price "
                            + (listPrice == null ? "(not sold in " + currency + ")" : listPrice.toPlainString() + " " + currency));
                }
            }
        }
        return usable;
    }

    private static void checkTotal(Order order, boolean pricesUsable, List<String> reasons) {
        BigDecimal total = order.total();
        if (total == null) {
            reasons.add("total is required");
            return;
        }
        var currency = order.currency();
        if (currency == null) {
            return;
        }
        if (!currency.fits(total)) {
            reasons.add("total " + total.toPlainString() + " is not a valid " + currency + " amount");
            return;
        }
        if (!pricesUsable) {
            return;
        }
        var computed = order.computedTotal().amount();
        if (computed.compareTo(total) != 0) {
            reasons.add("total " + total.toPlainString() + " does not equal the sum of the lines "
                    + computed.toPlainString());
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
