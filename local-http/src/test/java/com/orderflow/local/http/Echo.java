package com.orderflow.local.http;

import java.nio.charset.StandardCharsets;

/** A handler that answers with what it was asked: {@code METHOD path ?query} on one line, then the body. */
final class Echo implements Handler {

    @Override
    public Response handle(Request request) {
        var text = request.method() + " " + request.rawPath() + " ?" + request.rawQuery() + "\n"
                + new String(request.body(), StandardCharsets.UTF_8);
        var response = Response.text(200, text);
        var probe = request.headers().first("X-Probe");
        return probe.map(value -> response.withHeader("X-Probe-Seen", value)).orElse(response)
                .withHeader("X-Remote-Port", Integer.toString(request.remoteAddress().getPort()));
    }
}
