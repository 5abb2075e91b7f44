package com.orderflow.order;

import java.math.BigDecimal;
import java.util.List;

/** Orders for tests, built the way the API would hand them to the workflow. */
public final class TestOrders {

    public static final String ORDER_ID = "ord_01jd8x7k2m9q4r5s6t7v8w9x0y";
    public static final Customer CUSTOMER = new Customer("cust-1001", "Ada Lovelace", "ada@example.com");

    private TestOrders() {
    }

    /** A well-formed order id made from a readable word, padded to the 26 characters ids carry. */
    public static String id(String word) {
        var body = (word + "00000000000000000000000000").substring(0, 26);
        if (!OrderId.isValid("ord_" + body)) {
            throw new IllegalArgumentException("not usable in an order id: " + word);
        }
        return "ord_" + body;
    }

    public static LineItem line(String sku, int quantity, String unitPrice) {
        return new LineItem(sku, quantity, new BigDecimal(unitPrice));
    }

    public static Order order(String token, String total, LineItem... items) {
        return order(ORDER_ID, token, total, items);
    }

    public static Order order(String orderId, String token, String total, LineItem... items) {
        return new Order(orderId, CUSTOMER, CurrencyCode.USD, List.of(items), new PaymentInstrument(token),
                new BigDecimal(total));
    }

    /** Two books and a mug, paid with an approved card: 2 x 39.99 + 12.50 = 92.48 USD. */
    public static Order valid() {
        return order("tok_visa", "92.48", line("SKU-BOOK-001", 2, "39.99"), line("SKU-MUG-002", 1, "12.50"));
    }
}
