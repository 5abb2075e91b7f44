package com.orderflow.api.http;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An HTTP request as the API sees it, independent of the Lambda event classes: header names are
 * case-insensitive and every map is non-null.
 *
 * @param method        upper-case HTTP method, empty when the event had none
 * @param path          the request path relative to the API ({@code /orders/ord_...}), or null
 * @param resource      the API Gateway resource template ({@code /orders/{id}}), or null
 * @param basePath      what precedes {@link #path} in the URL the client used (the stage, {@code /dev}), or empty
 * @param correlationId the id under which this request is logged (the Lambda request id)
 * @param repeatedHeaders the names of header fields that came more than once ({@link #headers} holds one value of
 *                        each), compared without regard to case
 */
public record ApiRequest(
        String method,
        String path,
        String resource,
        Map<String, String> pathParameters,
        Map<String, String> headers,
        Map<String, String> query,
        String body,
        boolean base64Encoded,
        String basePath,
        String correlationId,
        Set<String> repeatedHeaders) {

    public ApiRequest {
        method = method == null ? "" : method.strip().toUpperCase(Locale.ROOT);
        pathParameters = copy(pathParameters, false);
        headers = copy(headers, true);
        query = copy(query, false);
        basePath = basePath == null ? "" : basePath;
        var repeated = new TreeSet<String>(String.CASE_INSENSITIVE_ORDER);
        if (repeatedHeaders != null) {
            repeatedHeaders.stream().filter(java.util.Objects::nonNull).forEach(repeated::add);
        }
        repeatedHeaders = Collections.unmodifiableSet(repeated);
    }

    /** A request whose every header field came once. */
    public ApiRequest(String method, String path, String resource, Map<String, String> pathParameters,
                      Map<String, String> headers, Map<String, String> query, String body, boolean base64Encoded,
                      String basePath, String correlationId) {
        this(method, path, resource, pathParameters, headers, query, body, base64Encoded, basePath, correlationId,
                Set.of());
    }

    /** Whether the header field came more than once, whatever the case of its name. */
    public boolean repeated(String name) {
        return repeatedHeaders.contains(name);
    }

    /** The header's value, whatever the case of its name; null when absent. */
    public String header(String name) {
        return headers.get(name);
    }

    private static Map<String, String> copy(Map<String, String> source, boolean caseInsensitive) {
        var copy = caseInsensitive ? new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER) : new TreeMap<String, String>();
        if (source != null) {
            source.forEach((k, v) -> {
                if (k != null && v != null) {
                    copy.putIfAbsent(k, v);
                }
            });
        }
        return Collections.unmodifiableMap(copy);
    }
}
