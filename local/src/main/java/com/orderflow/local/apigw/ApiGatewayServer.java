package com.orderflow.local.apigw;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import com.orderflow.local.lambda.LocalLambdaContext;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The API Gateway front end of the local stack: an HTTP server on loopback that hands every
 * request to a proxy-integration handler (the real {@code ApiHandler}) as API Gateway's REST API
 * would, one virtual thread per request.
 */
public final class ApiGatewayServer implements AutoCloseable {

    /** API Gateway's maximum request payload. */
    public static final long MAX_PAYLOAD_BYTES = 10L * 1024 * 1024;
    /** How much of an oversize body is read and dropped before the 413; past that the connection is closed. */
    private static final long DISCARD_LIMIT_BYTES = 64L * 1024 * 1024;

    /** API Gateway's maximum integration timeout, used as the function's deadline. */
    private static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(29);

    /**
     * How the server is set up.
     *
     * @param port         0 for any free port
     * @param routes       the API's resource templates
     * @param stage        the stage name (in {@code requestContext.stage})
     * @param functionName the function behind the proxy integration
     * @param functionArn  its invoked ARN, as the Lambda context reports it
     * @param accessLog    receives one line per request (method, path, status, duration); may be a no-op
     * @param functionLog  receives what the function logs through its context's logger
     */
    public record Settings(int port, RouteTemplates routes, String stage, String functionName, String functionArn,
                           Consumer<String> accessLog, Consumer<String> functionLog) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final ProxyEventTranslator translator;
    private final RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler;
    private final Settings settings;

    private ApiGatewayServer(HttpServer server, ExecutorService executor, Settings settings,
                             RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler) {
        this.server = server;
        this.executor = executor;
        this.settings = settings;
        this.handler = handler;
        this.translator = new ProxyEventTranslator(settings.routes(), settings.stage(), "000000000000", "local");
    }

    /**
     * Binds and starts the server on loopback.
     *
     * @throws java.net.BindException when the port is in use
     */
    public static ApiGatewayServer start(Settings settings,
                                         RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> handler)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), settings.port()), 0);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        var gateway = new ApiGatewayServer(server, executor, settings, handler);
        server.setExecutor(executor);
        server.createContext("/", gateway::handle);
        server.start();
        return gateway;
    }

    /**
     * Serves another handler beside the API under a path prefix (e.g. the execution view at
     * {@code /ui}); everything else still goes to the proxy integration.
     */
    public void mount(String contextPath, HttpHandler handler) {
        server.createContext(contextPath, handler);
    }

    /** The port the server listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        String requestId = UUID.randomUUID().toString();
        OutgoingResponse response;
        try (exchange) {
            try {
                response = respond(exchange, requestId);
            } catch (IOException e) {
                // the client went away while sending; nothing left to answer
                return;
            }
            write(exchange, response);
            settings.accessLog().accept("%s %s %d %d ms".formatted(exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), response.status(),
                    Duration.ofNanos(System.nanoTime() - started).toMillis()));
        }
    }

    /**
     * Reads and drops what the client is still sending (up to a bound), so that it gets to read the 413
     * instead of a connection reset in the middle of its upload.
     */
    private static void discardBody(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            long left = DISCARD_LIMIT_BYTES;
            long skipped;
            while (left > 0 && (skipped = in.skip(Math.min(left, 1 << 20))) > 0) {
                left -= skipped;
            }
        } catch (IOException clientGone) {
            // the client stopped sending; the 413 is still the answer
        }
    }

    private OutgoingResponse respond(HttpExchange exchange, String requestId) throws IOException {
        String declaredLength = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declaredLength != null && parseLength(declaredLength) > MAX_PAYLOAD_BYTES) {
            discardBody(exchange);
            return translator.payloadTooLarge(requestId, MAX_PAYLOAD_BYTES);
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes((int) MAX_PAYLOAD_BYTES + 1);
        }
        if (body.length > MAX_PAYLOAD_BYTES) {
            discardBody(exchange);
            return translator.payloadTooLarge(requestId, MAX_PAYLOAD_BYTES);
        }
        var headers = new LinkedHashMap<String, List<String>>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null) {
            host = "localhost:" + port();
        }
        var request = new IncomingRequest(
                exchange.getRequestMethod().toUpperCase(Locale.ROOT),
                exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(),
                headers,
                body,
                exchange.getRemoteAddress().getAddress().getHostAddress(),
                host,
                exchange.getProtocol(),
                Instant.now());
        APIGatewayProxyRequestEvent event = translator.toEvent(request, requestId);
        // an alias runs a published version; locally there is only the code in this JVM, as $LATEST
        var context = new LocalLambdaContext(requestId, settings.functionName(), "$LATEST", settings.functionArn(), 1024,
                Instant.now().plus(INTEGRATION_TIMEOUT), Clock.systemUTC(), settings.functionLog());
        try {
            return translator.fromEvent(handler.handleRequest(event, context), requestId);
        } catch (RuntimeException | Error e) {
            // an unhandled function error: API Gateway answers 502 and the log shows why
            settings.functionLog().accept("ERROR " + requestId + " " + e);
            return translator.internalServerError(requestId);
        }
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void write(HttpExchange exchange, OutgoingResponse response) throws IOException {
        Map<String, List<String>> headers = response.headers();
        headers.forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
        boolean noBody = response.body().length == 0 || "HEAD".equalsIgnoreCase(exchange.getRequestMethod())
                || response.status() == 204 || response.status() == 304;
        exchange.sendResponseHeaders(response.status(), noBody ? -1 : response.body().length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    /** Stops accepting requests, lets those in flight finish (briefly) and releases the port. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
    }
}
