package com.orderflow.api;

import com.orderflow.order.PrimingOrders;

import java.util.List;

/**
 * The API Gateway events the API function is primed with: every route, reads of the priming order, a new order and
 * an idempotent one, and client mistakes answered without any call.
 */
final class ApiPrimingEvents {

    private static final String ORDER_ID = PrimingOrders.ORDER_ID;

    static final List<String> ALL = List.of(
            event("GET", "/orders", "/orders", null, "{\"limit\":\"5\"}", null),
            event("GET", "/orders/{orderId}", "/orders/" + ORDER_ID, ORDER_ID, null, null),
            event("GET", "/orders/{orderId}/history", "/orders/" + ORDER_ID + "/history", ORDER_ID, null, null),
            event("GET", "/orders/{orderId}", "/orders/ORD-not-an-id", "ORD-not-an-id", null, null),
            event("POST", "/orders", "/orders", null, null, PrimingOrders.REQUEST_BODY),
            event("POST", "/orders", "/orders", null, null, PrimingOrders.REQUEST_BODY).replace("\"headers\":{",
                    "\"headers\":{\"Idempotency-Key\":\"priming-0000\",").replace("\"multiValueHeaders\":{",
                    "\"multiValueHeaders\":{\"Idempotency-Key\":[\"priming-0000\"],"),
            event("POST", "/orders", "/orders", null, null, "{\"customer\":{\"id\":1},\"items\":\"none\"}"),
            event("POST", "/orders", "/orders", null, null, "{not json"),
            event("DELETE", "/orders", "/orders", null, null, null));

    private ApiPrimingEvents() {
    }

    private static String event(String method, String resource, String path, String orderId, String query, String body) {
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
