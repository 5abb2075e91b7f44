package com.orderflow.local.http;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One HTTP request as read off the connection: the body is whole (chunked framing already undone).
 *
 * @param method        as sent, e.g. {@code POST} (methods are case-sensitive)
 * @param rawPath       the path of the request target, still percent-encoded; {@code *} for {@code OPTIONS *}
 * @param rawQuery      what followed {@code ?}, still encoded; {@code null} when there was no {@code ?}
 * @param protocol      {@code HTTP/1.1} or {@code HTTP/1.0}
 * @param headers       the header fields (trailers of a chunked body are not among them)
 * @param body          the body bytes, empty when there was none
 * @param remoteAddress the client's end of the connection
 */
public record Request(String method, String rawPath, String rawQuery, String protocol, Headers headers, byte[] body,
                      InetSocketAddress remoteAddress) {

    public Request {
        Objects.requireNonNull(method);
        Objects.requireNonNull(rawPath);
        Objects.requireNonNull(protocol);
        Objects.requireNonNull(headers);
        Objects.requireNonNull(body);
    }
}
