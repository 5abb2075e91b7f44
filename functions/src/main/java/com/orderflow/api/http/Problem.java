package com.orderflow.api.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem detail before it is rendered: what went wrong for the client, never how it went wrong
 * inside (no exception classes, stack traces or internal names).
 */
public record Problem(int status, String type, String title, String detail, List<FieldError> errors,
                      Map<String, String> headers) {

    /** Problem types this API defines; {@code about:blank} covers plain HTTP statuses. */
    public static final String INVALID_REQUEST = "urn:orderflow:problem:invalid-request";
    public static final String IDEMPOTENCY_CONFLICT = "urn:orderflow:problem:idempotency-key-reused";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** A problem that is just its HTTP status, typed {@code about:blank} so the title is the reason phrase. */
    public static Problem of(int status, String detail) {
        return new Problem(status, "about:blank", reasonPhrase(status), detail, List.of(), Map.of());
    }

    /** A 400 listing every offending field. */
    public static Problem invalid(String detail, List<FieldError> errors) {
        return new Problem(400, INVALID_REQUEST, "Your request is not valid", detail, errors, Map.of());
    }

    public Problem withHeader(String name, String value) {
        var merged = new HashMap<>(headers);
        merged.put(name, value);
        return new Problem(status, type, title, detail, errors, merged);
    }

    /** Aborts request handling with this problem. */
    public ProblemException toException() {
        return new ProblemException(this);
    }

    static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 417 -> "Expectation Failed";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "Error";
        };
    }
}
