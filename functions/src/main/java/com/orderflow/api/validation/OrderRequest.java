package com.orderflow.api.validation;

import com.orderflow.order.CurrencyCode;
import com.orderflow.order.Customer;
import com.orderflow.order.LineItem;
import com.orderflow.order.Order;
import com.orderflow.order.PaymentInstrument;

import java.math.BigDecimal;
import java.util.List;

/**
 * A {@code POST /orders} body that passed validation, with amounts at the currency's scale, and the SHA-256
 * of its canonical JSON: two bodies that mean the same order (key order, whitespace, {@code 19.9} vs
 * {@code "19.90"}) share one {@code requestHash}.
 *
 * @param total the total the client stated, or null when it left the computation to us
 */
public record OrderRequest(
        Customer customer,
        CurrencyCode currency,
        List<LineItem> items,
        PaymentInstrument payment,
        BigDecimal total,
        String requestHash) {

    public OrderRequest {
        items = List.copyOf(items);
    }

    /** The order the workflow runs: this request under {@code orderId}, with the stated or computed total. */
    public Order toOrder(String orderId) {
        var withoutTotal = new Order(orderId, customer, currency, items, payment, null);
        var effectiveTotal = total != null ? total : withoutTotal.computedTotal().amount();
        return new Order(orderId, customer, currency, items, payment, effectiveTotal);
    }
}
