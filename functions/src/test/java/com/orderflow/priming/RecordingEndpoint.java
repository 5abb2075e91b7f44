package com.orderflow.priming;

import com.orderflow.json.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One loopback HTTP server standing in for both S3 and Step Functions that records every request it receives and
 * answers the few calls the tests make after a restore: an empty ListObjectsV2 page, a stored object's new
 * version and a started execution.
 */
public final class RecordingEndpoint implements AutoCloseable {

    /** A request as it arrived: method, path and query, the Step Functions operation, and the body. */
    public record Received(String method, String pathAndQuery, String target, String body) {

        public boolean changesState() {
            return method.equals("PUT") || method.equals("DELETE")
                    || target != null && (target.endsWith(".StartExecution") || target.endsWith(".StopExecution"));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public RecordingEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            var body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            var target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(), target, body));
            if (target != null && target.endsWith(".StartExecution")) {
                var name = Json.mapper().readTree(body).path("name").asText();
                reply(exchange, 200, "application/x-amz-json-1.0", """
                        {"executionArn":"arn:aws:states:us-east-1:000000000000:execution:orderflow-test:%s","startDate":1.7E9}"""
                        .formatted(name));
            } else if (exchange.getRequestMethod().equals("HEAD")) {
                reply(exchange, 404, "application/xml", "");
            } else if (exchange.getRequestMethod().equals("PUT")) {
                exchange.getResponseHeaders().set("ETag", "\"recorded\"");
                exchange.getResponseHeaders().set("x-amz-version-id", "v" + received.size());
                reply(exchange, 200, "application/xml", "");
            } else if (exchange.getRequestURI().getQuery() != null && exchange.getRequestURI().getQuery().contains("list-type=2")) {
                reply(exchange, 200, "application/xml", """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>orders</Name><Prefix>orders/</Prefix>\
                        <KeyCount>0</KeyCount><MaxKeys>5</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>""");
            } else {
                reply(exchange, 500, "text/plain", "not answered by the recording endpoint");
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 || exchange.getRequestMethod().equals("HEAD") ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
