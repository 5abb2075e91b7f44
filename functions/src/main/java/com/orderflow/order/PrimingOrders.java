package com.orderflow.order;

/**
 * The orders SnapStart priming runs the handlers on, as JSON: one that completes and one for each way an order can
 * end otherwise. They all carry {@link #ORDER_ID}, which no real order has, so whatever a primed path does in memory
 * (a reservation, an authorization) is about no customer's order and is undone before the snapshot.
 */
public final class PrimingOrders {

    /**
     * The order id primed invocations use. Its time prefix stands for the Unix epoch, which no generated id carries,
     * and no idempotency key hashes to it in practice: it never names a real order.
     */
    public static final String ORDER_ID = "ord_zzzzzzzzzzzzzzzzzzzzzzzzzz";

    /** In stock, paid with a card that is approved: the order completes. */
    public static final String COMPLETING = order("SKU-BOOK-001", "tok_visa");
    public static final String OUT_OF_STOCK = order("SKU-RARE-404", "tok_visa");
    public static final String DECLINED = order("SKU-BOOK-001", "tok_chargeDeclined");
    public static final String UNKNOWN_CARD = order("SKU-BOOK-001", "tok_unknown");
    /** Every field wrong: validation's error path. */
    public static final String INVALID = """
            {"orderId":"%s","customer":{"id":"","name":"","email":"not-an-email"},"currency":"USD",\
            "items":[{"sku":"SKU-UNKNOWN","quantity":0,"unitPrice":-1}],"payment":{"token":""},"total":1}"""
            .formatted(ORDER_ID);

    public static final String RESERVED = """
            {"orderId":"%s","status":"RESERVED","reservationId":"res_%s"}""".formatted(ORDER_ID, ORDER_ID.substring(4));
    public static final String UNAVAILABLE = """
            {"orderId":"%s","status":"OUT_OF_STOCK","unavailableSkus":["SKU-RARE-404"]}""".formatted(ORDER_ID);
    public static final String AUTHORIZED = """
            {"orderId":"%s","status":"AUTHORIZED","authorizationId":"auth_%s"}""".formatted(ORDER_ID, ORDER_ID.substring(4));
    public static final String REFUSED = """
            {"orderId":"%s","status":"DECLINED","declineReason":"card declined"}""".formatted(ORDER_ID);

    /** The execution the priming order belongs to. */
    public static final String EXECUTION_ARN = "arn:aws:states:us-east-1:000000000000:execution:orderflow-priming:" + ORDER_ID;

    /** The body a client posts for the completing order, without the id the API assigns. */
    public static final String REQUEST_BODY = """
            {"customer":{"id":"cust-1001","name":"Ada Lovelace","email":"ada@example.com"},"currency":"USD",\
            "items":[{"sku":"SKU-BOOK-001","quantity":2,"unitPrice":39.99}],"payment":{"token":"tok_visa"},"total":79.98}""";

    private PrimingOrders() {
    }

    private static String order(String sku, String token) {
        return """
                {"orderId":"%s","customer":{"id":"cust-1001","name":"Ada Lovelace","email":"ada@example.com"},\
                "currency":"USD","items":[{"sku":"%s","quantity":2,"unitPrice":39.99}],\
                "payment":{"token":"%s"},"total":79.98}""".formatted(ORDER_ID, sku, token);
    }
}
