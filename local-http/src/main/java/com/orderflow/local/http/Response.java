package com.orderflow.local.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a {@link Handler} answers. The server owns the framing: it adds {@code Content-Length} (and {@code Date},
 * {@code Connection} where due) and ignores any {@code Content-Length} or {@code Transfer-Encoding} given here (but
 * for a response to HEAD, whose {@code Content-Length} given here is the length a GET's body would have); a
 * {@code Connection: close} given here closes the connection after this response.
 *
 * @param status 200-599 (1xx interim responses are the server's business)
 */
public record Response(int status, Headers headers, byte[] body) {

    private static final byte[] EMPTY = new byte[0];

    public Response {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("not a final status: " + status);
        }
        Objects.requireNonNull(headers);
        Objects.requireNonNull(body);
    }

    /** A response without a body. */
    public static Response empty(int status, Headers headers) {
        return new Response(status, headers, EMPTY);
    }

    /** This response with one more header field. */
    public Response withHeader(String name, String value) {
        return new Response(status, headers.with(name, value), body);
    }

    /** A {@code text/plain; charset=utf-8} response. */
    public static Response text(int status, String text) {
        return new Response(status, Headers.of("Content-Type", "text/plain; charset=utf-8"),
                text.getBytes(StandardCharsets.UTF_8));
    }
}
