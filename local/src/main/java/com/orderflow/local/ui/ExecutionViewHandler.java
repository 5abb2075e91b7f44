package com.orderflow.local.ui;

import com.orderflow.local.apigw.ProblemResponses;
import com.orderflow.local.http.Handler;
import com.orderflow.local.http.Headers;
import com.orderflow.local.http.Request;
import com.orderflow.local.http.Response;
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
import java.util.UUID;

/**
 * Serves the local execution view under {@code /ui}: static pages from the jar, and a read-only
 * pass-through to the local Step Functions JSON API so the page shows exactly what the API says.
 */
public final class ExecutionViewHandler implements Handler {

    /** Only the read operations the page needs; the view can never change an execution. */
    static final Set<String> ALLOWED_OPERATIONS = Set.of(
            "ListStateMachines", "DescribeStateMachine", "ListExecutions", "DescribeExecution",
            "GetExecutionHistory", "DescribeStateMachineForExecution");

    private static final String TARGET_PREFIX = "AWSStepFunctions.";
    private static final String AMZ_JSON = "application/x-amz-json-1.0";
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
    public Response handle(Request request) {
        var path = request.rawPath();
        var relative = path.length() > basePath.length() ? path.substring(basePath.length()) : "";
        var method = request.method();
        if (relative.equals("/sfn")) {
            return proxyToStepFunctions(request);
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return ProblemResponses.of(405, "The execution view accepts GET and HEAD.", path, requestId())
                    .withHeader("Allow", "GET, HEAD");
        }
        if (relative.isEmpty()) {
            return send(Response.empty(302, Headers.of("Location", basePath + "/")));
        }
        return serveStatic(relative, path);
    }

    private Response serveStatic(String relative, String path) {
        var file = fileFor(relative);
        if (file == null) {
            return ProblemResponses.of(404, "The execution view has no such page or file; it serves " + basePath
                    + "/, " + basePath + "/executions/{executionArn} and its own scripts and style sheet.", path,
                    requestId());
        }
        try (InputStream in = ExecutionViewHandler.class.getResourceAsStream("/ui/" + file)) {
            if (in == null) {
                return ProblemResponses.of(404, "The execution view's " + file + " is not in this build.", path,
                        requestId());
            }
            var ext = file.substring(file.lastIndexOf('.') + 1);
            return send(new Response(200, Headers.of("Content-Type",
                    CONTENT_TYPES.getOrDefault(ext, "application/octet-stream"), "Cache-Control", "no-cache"),
                    in.readAllBytes()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("reading the execution view from the jar", e);
        }
    }

    /**
     * The file behind a path of the view: the single-page app for its two pages (the list, one execution), the
     * asset itself for its scripts and style sheet, and null for anything else, so a mistyped asset is a 404
     * rather than the page (which a browser would then fail to run as a script).
     */
    static String fileFor(String relative) {
        return switch (relative) {
            case "/" -> "index.html";
            case "/app.js", "/style.css", "/graph.js" -> relative.substring(1);
            default -> relative.startsWith("/executions/") && relative.length() > "/executions/".length()
                    ? "index.html" : null;
        };
    }

    private Response proxyToStepFunctions(Request request) {
        var target = request.headers().first("X-Amz-Target").orElse(null);
        if (!"POST".equals(request.method()) || target == null || !target.startsWith(TARGET_PREFIX)
                || !ALLOWED_OPERATIONS.contains(target.substring(TARGET_PREFIX.length()))) {
            return amzJson(400, "{\"__type\":\"UnknownOperationException\",\"message\":\"the execution view only reads\"}");
        }
        if (request.body().length > MAX_PROXY_BODY) {
            return amzJson(413, "{\"__type\":\"ValidationException\",\"message\":\"request too large\"}");
        }
        var forwarded = HttpRequest.newBuilder(stepFunctionsEndpoint.resolve("/"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", AMZ_JSON)
                .header("X-Amz-Target", target)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body()))
                .build();
        try {
            var response = http.send(forwarded, HttpResponse.BodyHandlers.ofByteArray());
            return send(new Response(response.statusCode(), Headers.of("Content-Type", AMZ_JSON), response.body()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return amzJson(503, "{\"__type\":\"ServiceUnavailable\",\"message\":\"interrupted\"}");
        } catch (IOException e) {
            return amzJson(502, "{\"__type\":\"ServiceUnavailable\",\"message\":\"the Step Functions API is not reachable\"}");
        }
    }

    private static Response amzJson(int status, String json) {
        return send(new Response(status, Headers.of("Content-Type", AMZ_JSON), json.getBytes(StandardCharsets.UTF_8)));
    }

    private static Response send(Response response) {
        return response.withHeader("X-Content-Type-Options", "nosniff");
    }

    private static String requestId() {
        return UUID.randomUUID().toString();
    }
}
