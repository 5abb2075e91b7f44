package com.orderflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A stand-in for the Step Functions API at the SDK's HTTP boundary, until the local engine exists: a loopback
 * HTTP server speaking AWS JSON 1.0 for StartExecution and DescribeExecution, with AWS's name-reuse rules for
 * Standard workflows. A name reused with the same input while the execution runs returns that execution; a
 * different input, or any input once it has closed, fails with ExecutionAlreadyExists. Nothing runs: tests
 * close executions with {@link #close}.
 */
final class StepFunctionsStub implements AutoCloseable {

    /** One execution as the stub remembers it. */
    record Execution(String executionArn, String stateMachineArn, String name, String input, Instant startDate,
                     String status, Instant stopDate, String output, String error) {
    }

    private static final Pattern NAME = Pattern.compile("^[0-9A-Za-z_-]{1,80}$");

    private final HttpServer server;
    private final String stateMachineArn;
    private final Map<String, Execution> executions = new ConcurrentHashMap<>();
    private final AtomicInteger startCalls = new AtomicInteger();
    /** When set, every StartExecution is answered with this error instead. */
    private volatile Refusal refusal;

    /** An AWS error answer: HTTP status and {@code __type}. */
    record Refusal(int status, String type) {
    }

    private StepFunctionsStub(String stateMachineArn) throws IOException {
        this.stateMachineArn = stateMachineArn;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    static StepFunctionsStub start(String stateMachineArn) {
        try {
            return new StepFunctionsStub(stateMachineArn);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Ends a running execution with {@code status} (SUCCEEDED, FAILED, ...), as the workflow would. */
    void close(String executionArn, String status) {
        close(executionArn, status, null, null);
    }

    /** Ends a running execution with {@code status}, the {@code output} of a SUCCEEDED run or the {@code error} of another. */
    void close(String executionArn, String status, String output, String error) {
        executions.computeIfPresent(executionArn, (arn, e) -> new Execution(e.executionArn(), e.stateMachineArn(), e.name(),
                e.input(), e.startDate(), status, Instant.now(), output, error));
    }

    Execution execution(String executionArn) {
        return executions.get(executionArn);
    }

    List<Execution> executions() {
        return List.copyOf(executions.values());
    }

    int startCalls() {
        return startCalls.get();
    }

    /** Answers every StartExecution from now on with {@code refusal}; null to start executions again. */
    void refuseStarts(Refusal refusal) {
        this.refusal = refusal;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            var request = Json.mapper().readTree(exchange.getRequestBody().readAllBytes());
            switch (target) {
                case "AWSStepFunctions.StartExecution" -> startExecution(exchange, request);
                case "AWSStepFunctions.DescribeExecution" -> describeExecution(exchange, request);
                default -> error(exchange, "UnknownOperationException", "not emulated: " + target);
            }
        }
    }

    private void startExecution(HttpExchange exchange, JsonNode request) throws IOException {
        startCalls.incrementAndGet();
        var refused = refusal;
        if (refused != null) {
            send(exchange, refused.status(), Json.mapper().createObjectNode().put("__type", refused.type())
                    .put("message", "Rate exceeded"), refused.type());
            return;
        }
        var machine = request.path("stateMachineArn").asText();
        var name = request.path("name").asText();
        var input = request.path("input").asText("{}");
        if (!machine.equals(stateMachineArn)) {
            error(exchange, "StateMachineDoesNotExist", "State Machine Does Not Exist: '" + machine + "'");
            return;
        }
        if (!NAME.matcher(name).matches()) {
            error(exchange, "InvalidName", "Invalid Name: '" + name + "'");
            return;
        }
        var arn = machine.replace(":stateMachine:", ":execution:") + ":" + name;
        var fresh = new Execution(arn, machine, name, input, Instant.now(), "RUNNING", null, null, null);
        var existing = executions.putIfAbsent(arn, fresh);
        if (existing != null && !(existing.status().equals("RUNNING") && existing.input().equals(input))) {
            error(exchange, "ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
            return;
        }
        var execution = existing != null ? existing : fresh;
        ok(exchange, Json.mapper().createObjectNode()
                .put("executionArn", execution.executionArn())
                .put("startDate", seconds(execution.startDate())));
    }

    private void describeExecution(HttpExchange exchange, JsonNode request) throws IOException {
        var arn = request.path("executionArn").asText();
        var execution = executions.get(arn);
        if (execution == null) {
            error(exchange, "ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
            return;
        }
        ObjectNode body = Json.mapper().createObjectNode()
                .put("executionArn", execution.executionArn())
                .put("stateMachineArn", execution.stateMachineArn())
                .put("name", execution.name())
                .put("status", execution.status())
                .put("startDate", seconds(execution.startDate()))
                .put("input", execution.input());
        if (execution.stopDate() != null) {
            body.put("stopDate", seconds(execution.stopDate()));
        }
        if (execution.output() != null) {
            body.put("output", execution.output());
        }
        if (execution.error() != null) {
            body.put("error", execution.error());
        }
        ok(exchange, body);
    }

    private static double seconds(Instant instant) {
        return instant.toEpochMilli() / 1000.0;
    }

    private static void ok(HttpExchange exchange, JsonNode body) throws IOException {
        send(exchange, 200, body, null);
    }

    private static void error(HttpExchange exchange, String type, String message) throws IOException {
        send(exchange, 400, Json.mapper().createObjectNode().put("__type", type).put("message", message), type);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body, String errorType) throws IOException {
        var bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        if (errorType != null) {
            exchange.getResponseHeaders().set("X-Amzn-ErrorType", errorType);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
