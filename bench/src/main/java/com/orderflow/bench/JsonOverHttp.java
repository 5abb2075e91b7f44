package com.orderflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;

/**
 * The Step Functions JSON API (AWS JSON 1.0) over one keep-alive {@link HttpConnection} of its own, for a benchmark
 * client thread; the AWS SDK spends more CPU per call than the stack does. One instance per thread.
 */
final class JsonOverHttp implements AutoCloseable {

    private final HttpConnection connection;

    JsonOverHttp(URI endpoint) {
        this.connection = new HttpConnection(endpoint);
    }

    /** Calls {@code AWSStepFunctions.<operation>}; anything but a 200 fails with the answer's body. */
    JsonNode call(String operation, ObjectNode body) {
        var reply = send(operation, body);
        if (reply.status() != 200) {
            throw new IllegalStateException(operation + " answered " + reply.status() + ": " + reply.body());
        }
        return parse(operation, reply.body());
    }

    /** Calls {@code AWSStepFunctions.<operation>} and returns whatever it answered. */
    HttpConnection.Reply send(String operation, ObjectNode body) {
        try {
            return connection.send("POST", "/", body.toString(), "Content-Type: application/x-amz-json-1.0",
                    "X-Amz-Target: AWSStepFunctions." + operation);
        } catch (IOException e) {
            throw new UncheckedIOException(operation + " failed: " + e.getMessage(), e);
        }
    }

    static JsonNode parse(String operation, String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(operation + " answered what is not JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
