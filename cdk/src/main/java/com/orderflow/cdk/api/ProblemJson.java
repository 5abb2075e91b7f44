package com.orderflow.cdk.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The RFC 9457 body the API function sends ({@code type}, {@code title}, {@code status}, {@code detail},
 * {@code correlationId}), written for the two places that answer before the function runs: API Gateway's gateway
 * responses and WAF's custom responses.
 */
public final class ProblemJson {

    /** The function's problem type for invalid input; gateway validation failures use it too. */
    public static final String INVALID_REQUEST = "urn:orderflow:problem:invalid-request";
    public static final String INVALID_REQUEST_TITLE = "Your request is not valid";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DETAIL_SLOT = "\"\\u0000detail\"";
    private static final String CORRELATION_SLOT = "\"\\u0000correlation\"";

    private ProblemJson() {
    }

    /** A fixed body, as WAF serves it: {@code about:blank} with the status's reason phrase as title. */
    public static String of(int status, String title, String detail) {
        return write(problem("about:blank", title, status, detail));
    }

    /**
     * A gateway response template: {@code detailExpression} is inserted unquoted (API Gateway quotes
     * {@code $context.error.messageString} itself), the API Gateway request id goes in {@code correlationId}, and
     * a null {@code status} leaves the field out for the catch-all responses whose status API Gateway chooses.
     */
    public static String gatewayTemplate(String type, String title, Integer status, String detailExpression) {
        var node = problem(type, title, status, "\u0000detail");
        node.put("correlationId", "\u0000correlation");
        return write(node)
                .replace(DETAIL_SLOT, detailExpression)
                .replace(CORRELATION_SLOT, "\"$context.requestId\"");
    }

    /** A fixed detail for a gateway template, as a JSON string literal. */
    public static String literal(String text) {
        try {
            return MAPPER.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string is always JSON", e);
        }
    }

    private static ObjectNode problem(String type, String title, Integer status, String detail) {
        var node = MAPPER.createObjectNode();
        node.put("type", type);
        node.put("title", title);
        if (status != null) {
            node.put("status", status);
        }
        node.put("detail", detail);
        return node;
    }

    private static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("problem body not serializable", e);
        }
    }
}
