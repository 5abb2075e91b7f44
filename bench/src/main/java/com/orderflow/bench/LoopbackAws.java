package com.orderflow.bench;

import com.orderflow.json.Json;
import com.orderflow.order.Order;
import com.orderflow.order.OrderOutcome;
import com.orderflow.order.OrderRecord;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The S3 and Step Functions endpoints the cold-start runs call, on loopback, in the benchmark's own JVM (so that
 * serving them warms nothing in the measured one): it answers GetObject with a stored order record, PutObject with
 * a new version id, and StartExecution and DescribeExecution with a running execution. It stores nothing.
 */
final class LoopbackAws implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final byte[] record;
    private final AtomicLong versions = new AtomicLong();

    LoopbackAws(Path root) throws IOException {
        var input = Json.mapper().readTree(Files.readAllBytes(root.resolve("events/workflow/execution-input.json")));
        var order = Json.mapper().treeToValue(input.get("order"), Order.class);
        this.record = Json.mapper().writeValueAsBytes(OrderRecord.of(order, OrderOutcome.received(),
                "arn:aws:states:us-east-1:000000000000:execution:orderflow-bench:" + order.orderId(), Instant.now()));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", this::answer);
        server.setExecutor(executor);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            var body = exchange.getRequestBody().readAllBytes();
            var target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            var method = exchange.getRequestMethod();
            if (target != null) {
                var name = Json.mapper().readTree(body).path("name").asText("bench");
                var arn = "arn:aws:states:us-east-1:000000000000:execution:orderflow-bench:" + name;
                var json = target.endsWith(".DescribeExecution")
                        ? """
                          {"executionArn":"%s","stateMachineArn":"arn:aws:states:us-east-1:000000000000:stateMachine:orderflow-bench",\
                          "name":"bench","status":"RUNNING","startDate":1.7E9,"input":"{}"}""".formatted(arn)
                        : """
                          {"executionArn":"%s","startDate":1.7E9}""".formatted(arn);
                reply(exchange, 200, "application/x-amz-json-1.0", json.getBytes(StandardCharsets.UTF_8));
            } else if (method.equals("PUT")) {
                exchange.getResponseHeaders().set("ETag", "\"bench\"");
                exchange.getResponseHeaders().set("x-amz-version-id", "v" + versions.incrementAndGet());
                reply(exchange, 200, "application/xml", new byte[0]);
            } else if (method.equals("GET") && exchange.getRequestURI().getPath().endsWith(".json")) {
                exchange.getResponseHeaders().set("ETag", "\"bench\"");
                exchange.getResponseHeaders().set("x-amz-version-id", "v0");
                exchange.getResponseHeaders().set("Last-Modified", "Sun, 01 Mar 2026 12:00:00 GMT");
                reply(exchange, 200, "application/json", record);
            } else {
                reply(exchange, 200, "application/xml", """
                        <?xml version="1.0" encoding="UTF-8"?>
                        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>bench</Name>\
                        <KeyCount>0</KeyCount><MaxKeys>20</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>"""
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
