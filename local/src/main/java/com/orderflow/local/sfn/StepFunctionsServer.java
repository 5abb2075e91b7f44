package com.orderflow.local.sfn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Step Functions JSON API (AWS JSON 1.0: {@code POST /} with {@code X-Amz-Target:
 * AWSStepFunctions.<Operation>}) on the JDK's HTTP server, one virtual thread per exchange.
 * Embeddable: {@link #start} returns a running server; {@link #close} stops it.
 */
public final class StepFunctionsServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StepFunctionsServer.class.getName());
    private static final String TARGET_PREFIX = "AWSStepFunctions.";
    private static final String CONTENT_TYPE = "application/x-amz-json-1.0";
    /** Definitions may be 1 MiB and are JSON-escaped inside the body, hence the room. */
    private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    /** The shared mapper, but with room for a 1 MiB definition inside one JSON string. */
    private static final ObjectMapper REQUEST_JSON = requestMapper();

    private final HttpServer http;
    private final ExecutorService executor;
    private final StepFunctionsApi api;

    private StepFunctionsServer(HttpServer http, ExecutorService executor, StepFunctionsApi api) {
        this.http = http;
        this.executor = executor;
        this.api = api;
    }

    /** Binds and starts the endpoint. */
    public static StepFunctionsServer start(StepFunctionsConfig config) {
        var api = new StepFunctionsApi(config);
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 0);
        } catch (IOException e) {
            api.close();
            throw new UncheckedIOException("cannot bind the Step Functions endpoint to "
                    + config.bindAddress().getHostAddress() + ":" + config.port(), e);
        }
        var executor = Executors.newVirtualThreadPerTaskExecutor();
        var server = new StepFunctionsServer(http, executor, api);
        http.createContext("/", server::handle);
        http.setExecutor(executor);
        http.start();
        return server;
    }

    /** The port the endpoint listens on (the chosen one when configured with 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** {@code http://<address>:<port>}, for an SDK client's endpoint override. */
    public String endpoint() {
        var address = http.getAddress().getAddress();
        var host = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
        return "http://" + host + ":" + port();
    }

    /** The state machines; the local stack registers its workflow here at startup. */
    public StateMachineRegistry stateMachines() {
        return api.stateMachines();
    }

    /** The operations themselves, for callers in the same process. */
    public StepFunctionsApi api() {
        return api;
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            var requestId = UUID.randomUUID().toString();
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            try {
                var response = dispatch(exchange);
                send(exchange, 200, response);
            } catch (StepFunctionsException e) {
                sendError(exchange, e);
            } catch (RuntimeException e) {
                // a bug here must not look like a client error, yet the body still follows AWS's shape
                LOG.log(Level.ERROR, "Step Functions request failed", e);
                sendError(exchange, new StepFunctionsException("InternalFailure",
                        "The local Step Functions endpoint failed: " + e, 500));
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "client went away", e);
        }
    }

    private ObjectNode dispatch(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            throw new StepFunctionsException("UnknownOperationException",
                    "The Step Functions JSON API is served at POST /", 404);
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            throw new StepFunctionsException("UnknownOperationException",
                    "The Step Functions JSON API accepts POST only", 405);
        }
        var contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType == null || !acceptable(contentType)) {
            throw new StepFunctionsException("SerializationException",
                    "Content-Type must be " + CONTENT_TYPE + ", not " + contentType);
        }
        var target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target == null || !target.startsWith(TARGET_PREFIX)) {
            throw StepFunctionsApi.unknownOperation(target == null ? "(no X-Amz-Target)" : target);
        }
        var body = readBody(exchange.getRequestBody());
        JsonNode json;
        try {
            json = body.length == 0 ? Json.mapper().createObjectNode() : REQUEST_JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new StepFunctionsException("SerializationException",
                    "The request body is not valid JSON: " + e.getOriginalMessage());
        }
        return api.call(target.substring(TARGET_PREFIX.length()), json);
    }

    private static ObjectMapper requestMapper() {
        var mapper = Json.mapper().copy();
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(Json.MAX_NESTING_DEPTH)
                .maxNumberLength(100)
                .maxStringLength(MAX_BODY_BYTES)
                .build());
        return mapper;
    }

    private static boolean acceptable(String contentType) {
        var mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return mediaType.equals(CONTENT_TYPE) || mediaType.equals("application/x-amz-json-1.1")
                || mediaType.equals("application/json");
    }

    private static byte[] readBody(InputStream in) throws IOException {
        var bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new StepFunctionsException("ValidationException",
                    "The request body is larger than " + MAX_BODY_BYTES + " bytes", 413);
        }
        return bytes;
    }

    private static void sendError(HttpExchange exchange, StepFunctionsException e) throws IOException {
        var body = Json.mapper().createObjectNode();
        body.put("__type", e.code());
        body.put("message", e.getMessage());
        exchange.getResponseHeaders().set("X-Amzn-ErrorType", e.code());
        send(exchange, e.httpStatus(), body);
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        var bytes = Json.mapper().writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Stops accepting requests, waits briefly for those in flight, and closes the engine. */
    @Override
    public void close() {
        http.stop(0);
        executor.close();
        api.close();
    }
}
