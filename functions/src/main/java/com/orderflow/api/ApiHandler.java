package com.orderflow.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.orderflow.api.http.ApiRequest;
import com.orderflow.api.http.ApiResponse;
import com.orderflow.api.http.CorsPolicy;
import com.orderflow.api.http.Problem;
import com.orderflow.api.http.ProblemException;
import com.orderflow.api.ids.OrderIdGenerator;
import com.orderflow.api.ids.SecureRandomOrderIdGenerator;
import com.orderflow.api.orders.InFlightOrders;
import com.orderflow.api.orders.OrderStore;
import com.orderflow.api.orders.OrderSubmission;
import com.orderflow.api.orders.StateMachineArn;
import com.orderflow.api.routing.RouteMatch;
import com.orderflow.aws.AwsEnvironment;
import com.orderflow.aws.PrimingOrderAnswers;
import com.orderflow.json.Json;
import com.orderflow.priming.CannedAnswers;
import com.orderflow.priming.PrimedHandler;
import com.orderflow.priming.Priming;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Lambda behind API Gateway's REST proxy integration: adapts the proxy event to {@link OrdersApi} and turns
 * every outcome into an HTTP response, so that no exception and no internal detail ever reaches the client.
 */
public final class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent>,
        PrimedHandler {

    private static final AtomicLong LOCAL_REQUESTS = new AtomicLong();

    private final OrdersApi api;
    private final CorsPolicy cors;
    private final OrderIdGenerator ids;

    /** Lambda's constructor: configuration and SDK clients from the environment, built once per instance. */
    public ApiHandler() {
        this(System.getenv());
    }

    ApiHandler(Map<String, String> env) {
        var aws = AwsEnvironment.from(env);
        this(ApiConfig.fromEnvironment(env), aws.newS3Client(), ApiConfig.newSfnClient(aws),
                new SecureRandomOrderIdGenerator(Clock.systemUTC()));
    }

    /** For tests and the local stack: explicit clients, configuration and id source. */
    public ApiHandler(ApiConfig config, S3Client s3, SfnClient sfn, OrderIdGenerator ids) {
        var stateMachine = StateMachineArn.parse(config.stateMachineArn());
        this.cors = config.cors();
        this.api = new OrdersApi(config,
                new OrderSubmission(sfn, stateMachine, ids),
                new OrderStore(s3, config.ordersBucket()),
                new InFlightOrders(sfn, stateMachine));
        this.ids = ids;
        Priming.register(this);
    }

    @Override
    public List<String> primingEvents() {
        return ApiPrimingEvents.ALL;
    }

    @Override
    public CannedAnswers primingAnswers() {
        return PrimingOrderAnswers.INSTANCE;
    }

    /** The primed POST drew ids from the random source: a restored snapshot must not draw the same ones. */
    @Override
    public void afterRestore() {
        if (ids instanceof SecureRandomOrderIdGenerator generator) {
            generator.reset();
        }
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        long started = System.nanoTime();
        var correlationId = correlationId(event, context);
        var request = toRequest(event == null ? new APIGatewayProxyRequestEvent() : event, correlationId);
        ApiResponse response;
        String route = "unmatched";
        try {
            var match = api.route(request);
            route = match instanceof RouteMatch.Found(var found) ? found.getClass().getSimpleName() : match.getClass().getSimpleName();
            response = api.handle(request, match);
        } catch (ProblemException e) {
            response = ApiResponse.problem(e.problem(), request.path(), correlationId);
        } catch (RuntimeException e) {
            logFailure(context, correlationId, route, e);
            response = ApiResponse.problem(faultProblem(e), request.path(), correlationId);
        }
        // on every answer, errors included: a page that cannot read a 400 cannot show the user what to fix
        response = response.withHeaders(cors.responseHeaders(request.header("Origin")));
        logAccess(context, request, route, response.status(), (System.nanoTime() - started) / 1_000_000);
        return toEvent(response);
    }

    /** A fault's client-facing face: a retry hint for throttling and unreachable dependencies, otherwise 500. */
    private static Problem faultProblem(RuntimeException e) {
        var transientFault = e instanceof SdkClientException
                || e instanceof AwsServiceException aws && (aws.isThrottlingException() || aws.statusCode() == 503);
        if (transientFault) {
            return Problem.of(503, "The service is temporarily unavailable; retry shortly.").withHeader("Retry-After", "1");
        }
        return Problem.of(500, "internal error; quote the correlationId when reporting it.");
    }

    static ApiRequest toRequest(APIGatewayProxyRequestEvent event, String correlationId) {
        var headers = new HashMap<String, String>();
        if (event.getMultiValueHeaders() != null) {
            event.getMultiValueHeaders().forEach((name, values) -> {
                if (name != null && values != null && !values.isEmpty() && values.getFirst() != null) {
                    headers.put(name, values.getFirst());
                }
            });
        }
        if (event.getHeaders() != null) {
            event.getHeaders().forEach((name, value) -> {
                if (name != null && value != null) {
                    headers.put(name, value);
                }
            });
        }
        var query = new HashMap<String, String>();
        if (event.getMultiValueQueryStringParameters() != null) {
            // API Gateway's single-value map holds the last value of a repeated parameter; so do we
            event.getMultiValueQueryStringParameters().forEach((name, values) -> {
                if (name != null && values != null && !values.isEmpty() && values.getLast() != null) {
                    query.put(name, values.getLast());
                }
            });
        }
        if (event.getQueryStringParameters() != null) {
            event.getQueryStringParameters().forEach((name, value) -> {
                if (name != null && value != null) {
                    query.put(name, value);
                }
            });
        }
        return new ApiRequest(event.getHttpMethod(), event.getPath(), event.getResource(), event.getPathParameters(),
                headers, query, event.getBody(), Boolean.TRUE.equals(event.getIsBase64Encoded()),
                basePath(event), correlationId, repeatedHeaders(event));
    }

    /**
     * The header names that came more than once. API Gateway passes every value in multiValueHeaders (its single
     * map keeps the last one), under the name as each was spelled, so values are counted across spellings.
     */
    private static Set<String> repeatedHeaders(APIGatewayProxyRequestEvent event) {
        var counts = new TreeMap<String, Integer>(String.CASE_INSENSITIVE_ORDER);
        if (event.getMultiValueHeaders() != null) {
            event.getMultiValueHeaders().forEach((name, values) -> {
                if (name != null && values != null) {
                    counts.merge(name, values.size(), Integer::sum);
                }
            });
        }
        if (event.getHeaders() != null) {
            var spellings = new TreeMap<String, Integer>(String.CASE_INSENSITIVE_ORDER);
            event.getHeaders().keySet().forEach(name -> {
                if (name != null) {
                    spellings.merge(name, 1, Integer::sum);
                }
            });
            spellings.forEach((name, count) -> counts.merge(name, count, Math::max));
        }
        var repeated = new HashSet<String>();
        counts.forEach((name, count) -> {
            if (count > 1) {
                repeated.add(name);
            }
        });
        return repeated;
    }

    /** The part of the client's URL before the API's path: {@code /dev} when requestContext.path is {@code /dev/orders}. */
    private static String basePath(APIGatewayProxyRequestEvent event) {
        var context = event.getRequestContext();
        var path = event.getPath();
        if (context == null || context.getPath() == null || path == null || !context.getPath().endsWith(path)) {
            return "";
        }
        return context.getPath().substring(0, context.getPath().length() - path.length());
    }

    private static String correlationId(APIGatewayProxyRequestEvent event, Context context) {
        if (context != null && context.getAwsRequestId() != null) {
            return context.getAwsRequestId();
        }
        if (event != null && event.getRequestContext() != null && event.getRequestContext().getRequestId() != null) {
            return event.getRequestContext().getRequestId();
        }
        return "local-" + LOCAL_REQUESTS.incrementAndGet();
    }

    private static APIGatewayProxyResponseEvent toEvent(ApiResponse response) {
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(response.status())
                .withHeaders(Map.copyOf(response.headers()))
                .withBody(response.body())
                .withIsBase64Encoded(false);
    }

    private static void logAccess(Context context, ApiRequest request, String route, int status, long millis) {
        var line = Json.mapper().createObjectNode()
                .put("level", status >= 500 ? "ERROR" : "INFO")
                .put("correlationId", request.correlationId())
                .put("method", request.method())
                .put("route", route)
                .put("status", status)
                .put("millis", millis);
        log(context, line.toString());
    }

    private static void logFailure(Context context, String correlationId, String route, RuntimeException e) {
        var trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        var line = Json.mapper().createObjectNode()
                .put("level", "ERROR")
                .put("correlationId", correlationId)
                .put("route", route)
                .put("error", e.getClass().getName())
                .put("message", String.valueOf(e.getMessage()))
                .put("stackTrace", trace.toString());
        log(context, line.toString());
    }

    private static void log(Context context, String line) {
        if (context != null && context.getLogger() != null) {
            context.getLogger().log(line + "\n");
        } else {
            System.err.println(line);
        }
    }
}
