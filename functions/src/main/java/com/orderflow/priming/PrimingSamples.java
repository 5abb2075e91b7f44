package com.orderflow.priming;

import java.util.List;

/**
 * The events each handler is primed with, as Lambda would deliver them. Every one is safe to run before a
 * snapshot: the workflow samples act only on an order id no real order has, the in-memory reservation and
 * authorization they make are released and voided again before the snapshot, and the SDK calls the others make are answered in-process
 * by {@link PrimingTransport} (or stopped before the wire by {@link PrimingInterceptor}).
 */
public final class PrimingSamples {

    /**
     * The order id primed invocations use. Its time prefix stands for the Unix epoch, which no generated id carries,
     * and no idempotency key hashes to it in practice: it never names a real order.
     */
    public static final String ORDER_ID = "ord_zzzzzzzzzzzzzzzzzzzzzzzzzz";

    private static final String ORDER = order("SKU-BOOK-001", "tok_visa");

    /** The order the primed reads find stored. */
    static final String PRIMING_ORDER = ORDER;
    private static final String OUT_OF_STOCK_ORDER = order("SKU-RARE-404", "tok_visa");
    private static final String DECLINED_ORDER = order("SKU-BOOK-001", "tok_chargeDeclined");
    private static final String INVALID_ORDER = """
            {"orderId":"%s","customer":{"id":"","name":"","email":"not-an-email"},"currency":"USD",\
            "items":[{"sku":"SKU-UNKNOWN","quantity":0,"unitPrice":-1}],"payment":{"token":""},"total":1}"""
            .formatted(ORDER_ID);
    private static final String RESERVED = """
            {"orderId":"%s","status":"RESERVED","reservationId":"res_%s"}""".formatted(ORDER_ID, ORDER_ID.substring(4));
    private static final String OUT_OF_STOCK = """
            {"orderId":"%s","status":"OUT_OF_STOCK","unavailableSkus":["SKU-RARE-404"]}""".formatted(ORDER_ID);
    private static final String AUTHORIZED = """
            {"orderId":"%s","status":"AUTHORIZED","authorizationId":"auth_%s"}""".formatted(ORDER_ID, ORDER_ID.substring(4));
    private static final String DECLINED = """
            {"orderId":"%s","status":"DECLINED","declineReason":"card declined"}""".formatted(ORDER_ID);

    public static final List<String> VALIDATE_ORDER = List.of(
            "{\"order\":" + ORDER + "}",
            "{\"order\":" + INVALID_ORDER + "}");

    /** In stock (the handler releases the reservation after priming) and out of stock. */
    public static final List<String> RESERVE_INVENTORY = List.of(
            "{\"order\":" + ORDER + "}",
            "{\"order\":" + OUT_OF_STOCK_ORDER + "}",
            "{\"order\":{\"customer\":{}}}");

    public static final List<String> RELEASE_INVENTORY = List.of(
            "{\"orderId\":\"" + ORDER_ID + "\"}");

    /** Approved (the handler voids the authorization after priming), declined and unknown cards. */
    public static final List<String> AUTHORIZE_PAYMENT = List.of(
            "{\"order\":" + ORDER + ",\"attempt\":0}",
            "{\"order\":" + DECLINED_ORDER + ",\"attempt\":0}",
            "{\"order\":" + ORDER.replace("tok_visa", "tok_unknown") + "}");

    public static final List<String> VOID_PAYMENT = List.of(
            "{\"orderId\":\"" + ORDER_ID + "\"}");

    public static final List<String> MERGE_RESULTS = List.of(
            "{\"order\":" + ORDER + ",\"inventory\":" + RESERVED + ",\"payment\":" + AUTHORIZED + "}",
            "{\"order\":" + ORDER + ",\"inventory\":" + OUT_OF_STOCK + ",\"payment\":" + AUTHORIZED + "}",
            "{\"order\":" + ORDER + ",\"inventory\":" + RESERVED + ",\"payment\":" + DECLINED + "}");

    /** Its PutObject is answered in-process. */
    public static final List<String> PERSIST_ORDER = List.of("""
            {"order":%s,"outcome":{"status":"COMPLETED","compensation":"NONE","inventory":%s,"payment":%s},\
            "executionArn":"arn:aws:states:us-east-1:000000000000:execution:orderflow-priming:%s"}"""
            .formatted(ORDER, RESERVED, AUTHORIZED, ORDER_ID));

    private static final String BODY = """
            {"customer":{"id":"cust-1001","name":"Ada Lovelace","email":"ada@example.com"},"currency":"USD",\
            "items":[{"sku":"SKU-BOOK-001","quantity":2,"unitPrice":39.99}],"payment":{"token":"tok_visa"},"total":79.98}""";

    /**
     * Every route of the API: reads (their S3 calls answered in-process), a new order and an idempotent one
     * (StartExecution likewise), and client mistakes answered without any call.
     */
    public static final List<String> API = List.of(
            apiEvent("GET", "/orders", "/orders", null, "{\"limit\":\"5\"}", null),
            apiEvent("GET", "/orders/{orderId}", "/orders/" + ORDER_ID, ORDER_ID, null, null),
            apiEvent("GET", "/orders/{orderId}/history", "/orders/" + ORDER_ID + "/history", ORDER_ID, null, null),
            apiEvent("GET", "/orders/{orderId}", "/orders/ORD-not-an-id", "ORD-not-an-id", null, null),
            apiEvent("POST", "/orders", "/orders", null, null, BODY),
            apiEvent("POST", "/orders", "/orders", null, null, BODY).replace("\"headers\":{",
                    "\"headers\":{\"Idempotency-Key\":\"priming-0000\",").replace("\"multiValueHeaders\":{",
                    "\"multiValueHeaders\":{\"Idempotency-Key\":[\"priming-0000\"],"),
            apiEvent("POST", "/orders", "/orders", null, null, "{\"customer\":{\"id\":1},\"items\":\"none\"}"),
            apiEvent("POST", "/orders", "/orders", null, null, "{not json"),
            apiEvent("DELETE", "/orders", "/orders", null, null, null));

    private PrimingSamples() {
    }

    private static String order(String sku, String token) {
        return """
                {"orderId":"%s","customer":{"id":"cust-1001","name":"Ada Lovelace","email":"ada@example.com"},\
                "currency":"USD","items":[{"sku":"%s","quantity":2,"unitPrice":39.99}],\
                "payment":{"token":"%s"},"total":79.98}""".formatted(ORDER_ID, sku, token);
    }

    private static String apiEvent(String method, String resource, String path, String orderId, String query, String body) {
        return """
                {"resource":"%s","path":"%s","httpMethod":"%s",\
                "headers":{"Accept":"application/json","Content-Type":"application/json","Host":"priming.local"},\
                "multiValueHeaders":{"Accept":["application/json"],"Content-Type":["application/json"],"Host":["priming.local"]},\
                "queryStringParameters":%s,"multiValueQueryStringParameters":%s,"pathParameters":%s,\
                "stageVariables":null,"requestContext":{"resourceId":"priming","resourcePath":"%s","httpMethod":"%s",\
                "extendedRequestId":"priming","requestTime":"01/Jan/2026:00:00:00 +0000","path":"/priming%s",\
                "accountId":"000000000000","protocol":"HTTP/1.1","stage":"priming","domainPrefix":"priming",\
                "requestTimeEpoch":1767225600000,"requestId":"priming","identity":{"cognitoIdentityPoolId":null,\
                "accountId":null,"cognitoIdentityId":null,"caller":null,"sourceIp":"127.0.0.1","principalOrgId":null,\
                "accessKey":null,"cognitoAuthenticationType":null,"cognitoAuthenticationProvider":null,"userArn":null,\
                "userAgent":"priming","user":null},"domainName":"priming.local","apiId":"priming"},\
                "body":%s,"isBase64Encoded":false}""".formatted(resource, path, method,
                query == null ? "null" : query,
                query == null ? "null" : query.replaceAll(":(\"[^\"]*\")", ":[$1]"),
                orderId == null ? "null" : "{\"orderId\":\"" + orderId + "\"}",
                resource, method, path,
                body == null ? "null" : quoted(body));
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
