package com.orderflow.local.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Serves the local execution view under {@code /ui}: static pages from the jar, and a read-only
 * pass-through to the local Step Functions JSON API so the page shows exactly what the API says.
 */
public final class ExecutionViewHandler implements HttpHandler {

    /** Only the read operations the page needs; the view can never change an execution. */
    static final Set<String> ALLOWED_OPERATIONS = Set.of(
            "ListStateMachines", "DescribeStateMachine", "ListExecutions", "DescribeExecution",
            "GetExecutionHistory", "DescribeStateMachineForExecution");

    private static final String TARGET_PREFIX = "AWSStepFunctions.";
    private static final int MAX_PROXY_BODY = 64 * 1024;
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png");

    private final String basePath;
    private final URI stepFunctionsEndpoint;
    private final HttpClient http;

    /**
     * @param basePath              where the view is mounted, e.g. {@code /ui}
     * @param stepFunctionsEndpoint the local Step Functions API, e.g. {@code http://127.0.0.1:8083}
     */
    public ExecutionViewHandler(String basePath, URI stepFunctionsEndpoint) {
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        this.stepFunctionsEndpoint = stepFunctionsEndpoint;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            var path = exchange.getRequestURI().getPath();
            var relative = path.length() > basePath.length() ? path.substring(basePath.length()) : "/";
            if (relative.equals("/sfn")) {
                proxyToStepFunctions(exchange);
            } else if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain; charset=utf-8", "method not allowed".getBytes(StandardCharsets.UTF_8));
            } else if (relative.equals("") ) {
                exchange.getResponseHeaders().add("Location", basePath + "/");
                send(exchange, 302, "text/plain; charset=utf-8", new byte[0]);
            } else {
                serveStatic(exchange, relative);
            }
        }
    }

    private void serveStatic(HttpExchange exchange, String relative) throws IOException {
        // every page route (list, execution) is the single-page app; assets are files beside it
        var file = switch (relative) {
            case "/app.js", "/style.css", "/graph.js" -> relative.substring(1);
            default -> "index.html";
        };
        try (InputStream in = ExecutionViewHandler.class.getResourceAsStream("/ui/" + file)) {
            if (in == null) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found".getBytes(StandardCharsets.UTF_8));
                return;
            }
            var ext = file.substring(file.lastIndexOf('.') + 1);
            exchange.getResponseHeaders().add("Cache-Control", "no-cache");
            send(exchange, 200, CONTENT_TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
        }
    }

    private void proxyToStepFunctions(HttpExchange exchange) throws IOException {
        var target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (!"POST".equals(exchange.getRequestMethod()) || target == null || !target.startsWith(TARGET_PREFIX)
                || !ALLOWED_OPERATIONS.contains(target.substring(TARGET_PREFIX.length()))) {
            sendJson(exchange, 400, "{\"__type\":\"UnknownOperationException\",\"message\":\"the execution view only reads\"}");
            return;
        }
        var body = exchange.getRequestBody().readNBytes(MAX_PROXY_BODY + 1);
        if (body.length > MAX_PROXY_BODY) {
            sendJson(exchange, 413, "{\"__type\":\"ValidationException\",\"message\":\"request too large\"}");
            return;
        }
        var request = HttpRequest.newBuilder(stepFunctionsEndpoint.resolve("/"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-amz-json-1.0")
                .header("X-Amz-Target", target)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            send(exchange, response.statusCode(), "application/x-amz-json-1.0", response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sendJson(exchange, 503, "{\"__type\":\"ServiceUnavailable\",\"message\":\"interrupted\"}");
        } catch (IOException e) {
            sendJson(exchange, 502, "{\"__type\":\"ServiceUnavailable\",\"message\":\"the Step Functions API is not reachable\"}");
        }
    }

    private static void sendJson(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        var head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }
}
