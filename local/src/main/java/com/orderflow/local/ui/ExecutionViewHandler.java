package com.orderflow.local.ui;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.orderflow.json.Json;
import com.orderflow.local.apigw.ProblemResponses;
import com.orderflow.local.http.Handler;
import com.orderflow.local.http.Headers;
import com.orderflow.local.http.Request;
import com.orderflow.local.http.Response;
import com.orderflow.local.sfn.ExpressRunLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
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
 * pass-through to the local Step Functions JSON API so the page shows exactly what the API says; and, at
 * {@code /ui/express-executions}, the Express runs this process saw, which that API keeps nowhere (on AWS the console
 * reads them from CloudWatch Logs).
 */
public final class ExecutionViewHandler implements Handler {

    /** Only the read operations the page needs; the view can never change an execution. */
    static final Set<String> ALLOWED_OPERATIONS = Set.of(
            "ListStateMachines", "DescribeStateMachine", "ListExecutions", "DescribeExecution",
            "GetExecutionHistory", "DescribeStateMachineForExecution", "ListMapRuns", "DescribeMapRun");

    /** The Express runs this process saw, as JSON; a path no page has. */
    private static final String EXPRESS_EXECUTIONS = "/express-executions";
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
    private final ExpressRunLog expressRuns;

    /**
     * @param basePath              where the view is mounted, e.g. {@code /ui}
     * @param stepFunctionsEndpoint the local Step Functions API, e.g. {@code http://127.0.0.1:8083}
     * @param expressRuns           the Express runs that API's process saw
     */
    public ExecutionViewHandler(String basePath, URI stepFunctionsEndpoint, ExpressRunLog expressRuns) {
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        this.stepFunctionsEndpoint = stepFunctionsEndpoint;
        this.expressRuns = expressRuns;
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
        if (relative.equals(EXPRESS_EXECUTIONS)) {
            return expressExecutions(request.rawQuery(), path);
        }
        return serveStatic(relative, path);
    }

    /**
     * The Express runs newest first, as {@code {"executions":[…]}} without their payloads; with
     * {@code ?executionArn=…} one run whole (input, output, error, cause, billing details), or a 404 once it is no
     * longer held (the record is in memory and bounded).
     */
    private Response expressExecutions(String rawQuery, String path) {
        String arn = queryParameter(rawQuery, "executionArn");
        Object body;
        if (arn == null) {
            body = Map.of("executions", expressRuns.listNewestFirst());
        } else {
            var run = expressRuns.find(arn);
            if (run.isEmpty()) {
                return ProblemResponses.of(404, "No Express run " + arn + " is held: Step Functions keeps no record of"
                        + " Express executions, and this view holds only the last runs of this process.", path,
                        requestId());
            }
            body = run.get();
        }
        try {
            return send(new Response(200, Headers.of("Content-Type", "application/json", "Cache-Control", "no-cache"),
                    Json.mapper().writeValueAsBytes(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing the Express runs as JSON", e);
        }
    }

    private static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private Response serveStatic(String relative, String path) {
        var file = fileFor(relative);
        if (file == null) {
            return ProblemResponses.of(404, "The execution view has no such page or file; it serves " + basePath
                    + "/, " + basePath + "/executions/{executionArn}, " + basePath + "/map-runs/{mapRunArn}, "
                    + basePath + EXPRESS_EXECUTIONS + " and its own scripts and style sheet.", path,
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
     * The file behind a path of the view: the single-page app for its pages (the list, one execution, one Map Run), the
     * asset itself for its scripts and style sheet, and null for anything else, so a mistyped asset is a 404
     * rather than the page (which a browser would then fail to run as a script).
     */
    static String fileFor(String relative) {
        return switch (relative) {
            case "/" -> "index.html";
            case "/app.js", "/style.css", "/graph.js", "/kit.js", "/runs.js" -> relative.substring(1);
            default -> isPage(relative, "/executions/") || isPage(relative, "/map-runs/") ? "index.html" : null;
        };
    }

    private static boolean isPage(String relative, String prefix) {
        return relative.startsWith(prefix) && relative.length() > prefix.length();
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
