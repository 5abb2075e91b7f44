package com.orderflow.local.apigw;

import com.orderflow.local.http.Response;
import java.time.Duration;
import java.util.Optional;

/**
 * One request the API front end served, for its access log.
 *
 * @param method   the request's method
 * @param path     the path as the client sent it, query string left out
 * @param response what was answered; empty when serving failed before an answer existed
 * @param took     from the request's arrival to its answer
 */
public record Served(String method, String path, Optional<Response> response, Duration took) {

    /** The answer's status, if there was an answer. */
    public Optional<Integer> status() {
        return response.map(Response::status);
    }

    /** A header of the answer, if there was one. */
    public Optional<String> header(String name) {
        return response.flatMap(r -> r.headers().first(name));
    }
}
