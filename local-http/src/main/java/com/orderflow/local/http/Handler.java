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
}
