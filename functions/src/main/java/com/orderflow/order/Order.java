package com.orderflow.order;

import java.math.BigDecimal;
import java.util.List;

/**
 * An order as the workflow carries it: the id assigned by the API plus what the customer sent.
 * Amounts are exact decimals in {@link #currency()}.
 */
public record Order(
        String orderId,
        Customer customer,
        CurrencyCode currency,
        List<LineItem> items,
        PaymentInstrument payment,
        BigDecimal total) {

    public Order {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** Sum of quantity times unit price over every line, at the currency's scale. */
    public Money computedTotal() {
        var sum = Money.zero(currency);
        for (var item : items) {
            sum = sum.plus(new Money(item.unitPrice(), currency).times(item.quantity()));
        }
        return sum;
    }
}
