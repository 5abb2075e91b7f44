package com.orderflow.local.sfn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.http.BlockingHttpServer;
import com.orderflow.local.http.Handler;
import com.orderflow.local.http.Headers;
import com.orderflow.local.http.Request;
import com.orderflow.local.http.Response;
import com.orderflow.local.http.ServerLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.util.Locale;

/**
 * The Step Functions JSON API (AWS JSON 1.0: {@code POST /} with {@code X-Amz-Target:
 * AWSStepFunctions.<Operation>}) on the project's {@link BlockingHttpServer}.
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

    private final BlockingHttpServer http;
    private final StepFunctionsApi api;

    private StepFunctionsServer(BlockingHttpServer http, StepFunctionsApi api) {
        this.http = http;
        this.api = api;
    }

    /** Binds and starts the endpoint. */
    public static StepFunctionsServer start(StepFunctionsConfig config) {
        var api = new StepFunctionsApi(config);
        try {
            var http = BlockingHttpServer.start(config.bindAddress(), config.port(), new Endpoint(api),
                    ServerLimits.defaults().withMaxBodyBytes(MAX_BODY_BYTES));
            return new StepFunctionsServer(http, api);
        } catch (IOException e) {
            api.close();
            throw new UncheckedIOException("cannot bind the Step Functions endpoint to "
                    + config.bindAddress().getHostAddress() + ":" + config.port(), e);
        }
    }

    /** The port the endpoint listens on (the chosen one when configured with 0). */
    public int port() {
        return http.port();
    }

    /** {@code http://<address>:<port>}, for an SDK client's endpoint override. */
    public String endpoint() {
        var address = http.address().getAddress();
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

    /** Stops accepting requests, lets those in flight finish (briefly), and closes the engine. */
    @Override
    public void close() {
        http.close();
        api.close();
    }

    /** The HTTP side of the API: every answer, refusals included, in AWS's shape and with a request id. */
    private record Endpoint(StepFunctionsApi api) implements Handler {

        @Override
        public Response handle(Request request) {
            var requestId = RequestIds.next();
            try {
                return json(200, dispatch(request), requestId, Headers.none());
            } catch (StepFunctionsException e) {
                var response = error(e, requestId);
                return e.httpStatus() == 405 ? response.withHeader("Allow", "POST") : response;
            } catch (RuntimeException e) {
                // a bug here must not look like a client error, yet the body still follows AWS's shape
                LOG.log(Level.ERROR, "Step Functions request failed", e);
                return error(new StepFunctionsException("InternalFailure",
                        "The local Step Functions endpoint failed: " + e, 500), requestId);
            }
        }

        /** The server's own refusals (a body over 4 MiB, malformed HTTP) read like the API's errors. */
        @Override
        public Response refuse(int status, String reason) {
            var code = status == 413 ? "ValidationException" : "SerializationException";
            return error(new StepFunctionsException(code, reason, status), RequestIds.next());
        }

        /** At the connection limit, AWS's shape too: the SDK retries a 503 after its backoff. */
        @Override
        public Response busy(long retryAfterSeconds) {
            return error(new StepFunctionsException("ServiceUnavailable", "The local Step Functions endpoint is "
                    + "serving as many connections as it can; retry in " + retryAfterSeconds + " s", 503),
                    RequestIds.next()).withHeader("Retry-After", Long.toString(retryAfterSeconds));
        }

        private ObjectNode dispatch(Request request) {
            if (!request.rawPath().equals("/")) {
                throw new StepFunctionsException("UnknownOperationException",
                        "The Step Functions JSON API is served at POST /", 404);
            }
            if (!request.method().equals("POST")) {
                throw new StepFunctionsException("UnknownOperationException",
                        "The Step Functions JSON API accepts POST only", 405);
            }
            var contentType = request.headers().first("Content-Type").orElse(null);
            if (contentType == null || !acceptable(contentType)) {
                throw new StepFunctionsException("SerializationException",
                        "Content-Type must be " + CONTENT_TYPE + ", not " + contentType);
            }
            var target = request.headers().first("X-Amz-Target").orElse(null);
            if (target == null || !target.startsWith(TARGET_PREFIX)) {
                throw StepFunctionsApi.unknownOperation(target == null ? "(no X-Amz-Target)" : target);
            }
            return api.call(target.substring(TARGET_PREFIX.length()), parse(request.body()));
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? Json.mapper().createObjectNode() : REQUEST_JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new StepFunctionsException("SerializationException",
                    "The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("reading a byte array", e);
        }
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

    private static Response error(StepFunctionsException e, String requestId) {
        var body = Json.mapper().createObjectNode();
        body.put("__type", e.code());
        body.put("message", e.getMessage());
        return json(e.httpStatus(), body, requestId, Headers.of("X-Amzn-ErrorType", e.code()));
    }

    private static Response json(int status, JsonNode body, String requestId, Headers headers) {
        byte[] bytes = ApiJson.write(body);
        return new Response(status, headers.with("Content-Type", CONTENT_TYPE).with("x-amzn-RequestId", requestId),
                bytes);
    }
}
