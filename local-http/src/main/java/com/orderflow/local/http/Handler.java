package com.orderflow.local.http;

/**
 * Answers requests for a {@link BlockingHttpServer}; called on the connection's own thread, one request at a time
 * per connection, so it may block (the client waits either way).
 */
@FunctionalInterface
public interface Handler {

    /** The response to one request; a runtime exception becomes a 500 and closes the connection. */
    Response handle(Request request);

    /**
     * The response to a request the server refused before {@link #handle} (malformed, too large, unsupported), so a
     * front end can answer in its own error format. The server closes the connection after it.
     *
     * @param status the status the server chose: 400, 413, 417, 431, 501 or 505
     * @param reason a sentence for a human
     */
    default Response refuse(int status, String reason) {
        return Response.text(status, reason);
    }

    /**
     * The {@code 503} for a connection the server will not serve because it is at its connection limit; the server
     * adds nothing but the framing and closes the connection after it. Called on the accepting thread, where it must
     * not block, and once per refused connection.
     *
     * @param retryAfterSeconds what the client should wait, for a {@code Retry-After} field
     */
    default Response busy(long retryAfterSeconds) {
        return Response.text(503, "The server is at its connection limit")
                .withHeader("Retry-After", Long.toString(retryAfterSeconds));
    }
}
