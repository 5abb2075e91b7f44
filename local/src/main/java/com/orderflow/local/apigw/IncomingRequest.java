package com.orderflow.local.apigw;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An HTTP request as it reached the front end, independent of the server that received it.
 *
 * @param method    the HTTP method, upper case
 * @param rawPath   the path, still percent-encoded, without the query string
 * @param rawQuery  the query string without '?', percent-encoded, or null
 * @param headers   header names as sent (any case) with every value, in arrival order
 * @param body      the body bytes (empty when none)
 * @param sourceIp  the client's address
 * @param host      the Host header's value, or the server address
 * @param protocol  e.g. {@code HTTP/1.1}
 * @param receivedAt when the request arrived
 */
public record IncomingRequest(
        String method,
        String rawPath,
        String rawQuery,
        Map<String, List<String>> headers,
        byte[] body,
        String sourceIp,
        String host,
        String protocol,
        Instant receivedAt) {
}
