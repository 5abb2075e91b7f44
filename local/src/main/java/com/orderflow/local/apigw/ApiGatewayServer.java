package com.orderflow.local.apigw;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.orderflow.api.http.CorsPolicy;
import com.orderflow.aws.InvocationContext;
import com.orderflow.local.http.BlockingHttpServer;
import com.orderflow.local.http.Handler;
import com.orderflow.local.http.Headers;
import com.orderflow.local.http.Request;
import com.orderflow.local.http.Response;
import com.orderflow.local.http.ServerLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The API Gateway front end of the local stack: the project's {@link BlockingHttpServer} handing every request to a
 * proxy-integration handler (the real {@code ApiHandler}) as API Gateway's REST API would. Whatever it answers
 * itself (a request it cannot read, a body over 10 MB, a full server) is a problem document like the API's own.
 */
public final class ApiGatewayServer implements AutoCloseable {

    /** API Gateway's maximum request payload. */
    public static final long MAX_PAYLOAD_BYTES = 10L * 1024 * 1024;

    /**
     * The server's bounds: 256 connections (a platform thread each; one more is answered 503), 16 KiB of request line
     * and header, and one body of at most API Gateway's 10 MB each, so threads and memory stay finite whatever the
     * clients send. 256 leaves room for the load test's 64 clients and the JDK client's pool of 128 in the tests.
     */
    public static final ServerLimits DEFAULT_LIMITS = ServerLimits.defaults().withMaxConnections(256)
            .withMaxBodyBytes((int) MAX_PAYLOAD_BYTES);

    /** API Gateway's maximum integration timeout, used as the function's deadline. */
    private static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(29);

    /**
     * How the server is set up.
     *
     * @param bindAddress  where to listen; loopback unless told otherwise (the API has no authentication)
     * @param port         0 for any free port
     * @param routes       the API's resource templates
     * @param stage        the stage name (in {@code requestContext.stage})
     * @param functionName the function behind the proxy integration
     * @param functionArn  its invoked ARN, as the Lambda context reports it
     * @param accessLog    told of every request served (method, path, answer, duration); may be a no-op
     * @param functionLog  receives what the function logs through its context's logger
     * @param limits       connections, header and body sizes, timeouts ({@link #DEFAULT_LIMITS})
     * @param cors         whose preflights to answer, as API Gateway's OPTIONS methods would ({@link CorsPolicy#OFF}:
     *                     none, an OPTIONS goes to the function like any method)
     */
    public record Settings(InetAddress bindAddress, int port, RouteTemplates routes, String stage, String functionName,
                           String functionArn, Consumer<Served> accessLog, Consumer<String> functionLog,
                           ServerLimits limits, CorsPolicy cors) {

        public Settings {
            Objects.requireNonNull(bindAddress, "bindAddress");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(cors, "cors");
            if (limits.maxBodyBytes() > MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("API Gateway takes bodies of at most " + MAX_PAYLOAD_BYTES + " bytes");
            }
        }

        /** On loopback, with {@link #DEFAULT_LIMITS}. */
        public Settings(int port, RouteTemplates routes, String stage, String functionName, String functionArn,
                        Consumer<Served> accessLog, Consumer<String> functionLog) {
            this(InetAddress.getLoopbackAddress(), port, routes, stage, functionName, functionArn, accessLog,
                    functionLog, DEFAULT_LIMITS, CorsPolicy.OFF);
        }

        public Settings withBindAddress(InetAddress value) {
            return new Settings(value, port, routes, stage, functionName, functionArn, accessLog, functionLog, limits,
                    cors);
        }

        public Settings withLimits(ServerLimits value) {
            return new Settings(bindAddress, port, routes, stage, functionName, functionArn, accessLog, functionLog,
                    value, cors);
        }

        public Settings withCors(CorsPolicy value) {
            return new Settings(bindAddress, port, routes, stage, functionName, functionArn, accessLog, functionLog,
                    limits, value);
        }
    }

    /** A handler served beside the API under a path: the path itself and everything below it. */
    private record Mount(String path, Handler handler) {
        boolean serves(String rawPath) {
            return rawPath.equals(path) || rawPath.startsWith(path) && rawPath.charAt(path.length()) == '/';
        }
    }

    private final Settings settings;
    private final ProxyEventTranslator translator;
    private final RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> function;
    private final List<Mount> mounts = new CopyOnWriteArrayList<>();
    private BlockingHttpServer http;

    private ApiGatewayServer(Settings settings,
                             RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> function) {
        this.settings = settings;
        this.function = function;
        this.translator = new ProxyEventTranslator(settings.routes(), settings.stage(), "000000000000", "local");
    }

    /**
     * Binds and starts the server on {@link Settings#bindAddress()}.
     *
     * @throws java.net.BindException when the port is in use
     */
    public static ApiGatewayServer start(Settings settings,
                                         RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler)
            throws IOException {
        var gateway = new ApiGatewayServer(settings, handler);
        gateway.http = BlockingHttpServer.start(settings.bindAddress(), settings.port(), gateway.new Front(),
                settings.limits());
        return gateway;
    }

    /**
     * Serves another handler beside the API at {@code path} and below it (the execution view at {@code /ui} serves
     * {@code /ui} and {@code /ui/...}, not {@code /uix}); everything else still goes to the proxy integration.
     */
    public void mount(String path, Handler handler) {
        if (!path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("a mount path starts with / and does not end with one: " + path);
        }
        mounts.add(new Mount(path, Objects.requireNonNull(handler)));
    }

    /** The port the server listens on. */
    public int port() {
        return http.port();
    }

    /** The address the server listens on. */
    public InetAddress bindAddress() {
        return http.address().getAddress();
    }

    /** Stops accepting requests, lets those in flight finish (briefly) and releases the port. */
    @Override
    public void close() {
        http.close();
    }

    /** Every request and every refusal of the server. */
    private final class Front implements Handler {

        @Override
        public Response handle(Request request) {
            long started = System.nanoTime();
            Response response = null;
            try {
                response = route(request);
                return response;
            } finally {
                settings.accessLog().accept(new Served(request.method(), request.rawPath(), Optional.ofNullable(response),
                        Duration.ofNanos(System.nanoTime() - started)));
            }
        }

        private Response route(Request request) {
            for (var mount : mounts) {
                if (mount.serves(request.rawPath())) {
                    return mount.handler().handle(request);
                }
            }
            if (request.method().equals("OPTIONS") && settings.cors().answersPreflight(translator.resourceOf(request.rawPath()))) {
                return preflight(request, UUID.randomUUID().toString());
            }
            return invoke(request, UUID.randomUUID().toString());
        }

        /** A body over 10 MB is 413 (API Gateway's limit), malformed HTTP is 400, and so on: a problem each time. */
        @Override
        public Response refuse(int status, String reason) {
            var detail = status == 413
                    ? "The request body is larger than " + MAX_PAYLOAD_BYTES + " bytes, API Gateway's payload limit."
                    : reason;
            return ProblemResponses.of(status, detail, null, UUID.randomUUID().toString());
        }

        @Override
        public Response busy(long retryAfterSeconds) {
            return ProblemResponses.of(503, "The API is serving as many connections as it can; retry in "
                    + retryAfterSeconds + " s.", null, UUID.randomUUID().toString())
                    .withHeader("Retry-After", Long.toString(retryAfterSeconds));
        }
    }

    /**
     * A resource's OPTIONS method as API Gateway runs it for CORS (a mock integration): 204 with the policy's
     * headers, whoever asks; only an allowed origin is named back, so the browser refuses the rest.
     */
    private Response preflight(Request request, String requestId) {
        var headers = Headers.of("Content-Type", "application/json", "x-amzn-RequestId", requestId);
        var resource = translator.resourceOf(request.rawPath());
        for (var header : settings.cors().preflightHeaders(resource, request.headers().first("Origin").orElse(null))
                .entrySet()) {
            headers = headers.with(header.getKey(), header.getValue());
        }
        return new Response(204, headers, new byte[0]);
    }

    private Response invoke(Request request, String requestId) {
        var headers = new LinkedHashMap<String, List<String>>();
        request.headers().forEach((name, value) -> headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value));
        var host = request.headers().first("Host").orElse("localhost:" + port());
        var incoming = new IncomingRequest(request.method().toUpperCase(Locale.ROOT), request.rawPath(),
                request.rawQuery(), headers, request.body(), request.remoteAddress().getAddress().getHostAddress(),
                host, request.protocol(), Instant.now());
        APIGatewayProxyRequestEvent event = translator.toEvent(incoming, requestId);
        // an alias runs a published version; locally there is only the code in this JVM, as $LATEST
        var context = new InvocationContext(requestId, settings.functionName(), "$LATEST", settings.functionArn(), 1024,
                Instant.now().plus(INTEGRATION_TIMEOUT), Clock.systemUTC(), settings.functionLog());
        OutgoingResponse outgoing;
        try {
            outgoing = translator.fromEvent(function.handleRequest(event, context), requestId);
        } catch (RuntimeException | Error e) {
            // an unhandled function error: API Gateway answers 502 and the log shows why
            settings.functionLog().accept("ERROR " + requestId + " " + e);
            outgoing = translator.internalServerError(requestId);
        }
        try {
            return toResponse(outgoing);
        } catch (IllegalArgumentException malformed) {
            // a status outside 200-599 or a header value that would split the response: a malformed proxy answer
            settings.functionLog().accept("ERROR " + requestId + " malformed proxy response: " + malformed.getMessage());
            return toResponse(translator.internalServerError(requestId));
        }
    }

    private static Response toResponse(OutgoingResponse outgoing) {
        var headers = Headers.none();
        for (Map.Entry<String, List<String>> header : outgoing.headers().entrySet()) {
            for (var value : header.getValue()) {
                headers = headers.with(header.getKey(), value);
            }
        }
        return new Response(outgoing.status(), headers, outgoing.body());
    }
}
