package com.orderflow.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.orderflow.json.Json;

import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP response ready to hand to API Gateway: status, headers and a UTF-8 text body. */
public record ApiResponse(int status, Map<String, String> headers, String body) {

    public static final String JSON = "application/json";
    public static final String PROBLEM_JSON = "application/problem+json";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    /** This response with {@code extra} headers added (replacing any of the same name). */
    public ApiResponse withHeaders(Map<String, String> extra) {
        if (extra.isEmpty()) {
            return this;
        }
        var merged = new LinkedHashMap<>(headers);
        merged.putAll(extra);
        return new ApiResponse(status, merged, body);
    }

    /** {@code value} as JSON with the shared mapper. */
    public static ApiResponse json(int status, Object value, Map<String, String> extraHeaders) {
        var headers = new LinkedHashMap<String, String>();
        headers.put("Content-Type", JSON);
        headers.put("Cache-Control", "no-store");
        headers.putAll(extraHeaders);
        return new ApiResponse(status, headers, write(value));
    }

    public static ApiResponse json(int status, Object value) {
        return json(status, value, Map.of());
    }

    /** The RFC 9457 rendering of {@code problem} for the request at {@code instance}. */
    public static ApiResponse problem(Problem problem, String instance, String correlationId) {
        var body = Json.mapper().createObjectNode();
        body.put("type", problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        if (problem.detail() != null) {
            body.put("detail", problem.detail());
        }
        if (instance != null && !instance.isEmpty()) {
            body.put("instance", FieldError.echoable(instance));
        }
        if (!problem.errors().isEmpty()) {
            body.set("errors", Json.mapper().valueToTree(problem.errors()));
        }
        if (correlationId != null) {
            body.put("correlationId", FieldError.echoable(correlationId));
        }
        var headers = new LinkedHashMap<String, String>();
        headers.put("Content-Type", PROBLEM_JSON);
        headers.put("Cache-Control", "no-store");
        headers.putAll(problem.headers());
        return new ApiResponse(problem.status(), headers, write(body));
    }

    private static String write(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serializable", e);
        }
    }
}
