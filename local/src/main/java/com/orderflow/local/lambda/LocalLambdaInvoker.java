package com.orderflow.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.aws.Arn;
import com.orderflow.aws.InvocationContext;
import com.orderflow.json.Json;
import com.orderflow.local.engine.TaskContext;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.TaskInvoker;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * Runs Task states whose Resource is a Lambda function, in process: the function's ARN (with or
 * without an alias or version; the result is the handler's return value) or the optimized
 * integration {@value #LAMBDA_INVOKE} (Parameters {@code FunctionName}, {@code Payload}, optional
 * {@code Qualifier} and {@code InvocationType}; the result is Lambda's Invoke response as Step Functions
 * shows it). Functions are registered by name; every qualifier of a name runs the same handler.
 */
public final class LocalLambdaInvoker implements TaskInvoker {

    /** The optimized Lambda integration's resource. */
    public static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";

    private static final String UNSUPPORTED = "The local stack runs Lambda tasks (a Lambda function ARN or "
            + LAMBDA_INVOKE + ", which may wait for a task token) and activities";

    /** Synchronous invocations running at once: enough to keep two cores busy with handlers that wait on I/O. */
    public static final int DEFAULT_CONCURRENCY = 32;

    private static final System.Logger LOG = System.getLogger(LocalLambdaInvoker.class.getName());
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    private static final Set<String> INVOCATION_TYPES = Set.of("RequestResponse", "Event", "DryRun");

    private final Map<String, LocalFunction> functions;
    private final String region;
    private final String accountId;
    private final Duration defaultTimeout;
    private final int memoryLimitMb;
    private final Clock clock;
    private final BiConsumer<String, String> log;
    /**
     * Invocations running at once, as a function's concurrency is on Lambda. Past it an invocation waits for a slot
     * (a virtual thread waits for free) rather than failing: the engine's open-executions limit is what refuses work,
     * and this keeps what the handlers ask of the local S3 within the connections it serves.
     */
    private final Semaphore concurrency;

    private LocalLambdaInvoker(Builder b) {
        this.functions = Map.copyOf(b.functions);
        this.region = b.region;
        this.accountId = b.accountId;
        this.defaultTimeout = b.defaultTimeout;
        this.memoryLimitMb = b.memoryLimitMb;
        this.clock = b.clock;
        this.log = b.log;
        this.concurrency = new Semaphore(b.maxConcurrency, true);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The registered function names. */
    public Set<String> functionNames() {
        return functions.keySet();
    }

    /** {@code arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]} for this invoker's region and account. */
    public String functionArn(String functionName, String qualifier) {
        return new Arn("aws", "lambda", region, accountId,
                "function:" + functionName + (qualifier == null ? "" : ":" + qualifier)).toString();
    }

    /** Runs the Lambda integration, and a Lambda function ARN of any region and account, with or without a qualifier. */
    @Override
    public Optional<String> whyNotRunnable(String resource) {
        if (resource.equals(LAMBDA_INVOKE)
                || isFunctionArn(resource) && FunctionReference.parse(resource).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(UNSUPPORTED);
    }

    @Override
    public JsonNode invoke(String resource, JsonNode input, TaskContext context) throws TaskFailedException {
        if (resource.equals(LAMBDA_INVOKE)) {
            return invokeIntegration(input, context);
        }
        if (isFunctionArn(resource)) {
            var reference = FunctionReference.parse(resource).orElseThrow(() -> new TaskFailedException(
                    "States.Runtime", "Not a Lambda function ARN: '" + resource + "'"));
            return call(reference, input, context).payload();
        }
        throw new TaskFailedException("States.Runtime", UNSUPPORTED + "; unsupported Resource '" + resource + "'");
    }

    private static boolean isFunctionArn(String resource) {
        return Arn.parse(resource).filter(arn -> arn.service().equals("lambda")).isPresent();
    }

    private JsonNode invokeIntegration(JsonNode parameters, TaskContext context) throws TaskFailedException {
        if (parameters == null || !parameters.isObject() || !parameters.path("FunctionName").isTextual()) {
            throw new TaskFailedException("States.Runtime",
                    "The lambda:invoke integration needs Parameters with a string FunctionName");
        }
        var name = parameters.get("FunctionName").asText();
        var reference = FunctionReference.parse(name).orElseThrow(() -> new TaskFailedException(
                "Lambda.AWSLambdaException", "1 validation error detected: Value '" + name
                + "' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern"));
        if (parameters.path("Qualifier").isTextual()) {
            reference = new FunctionReference(reference.functionName(), parameters.get("Qualifier").asText());
        }
        var invocationType = parameters.path("InvocationType").asText("RequestResponse");
        if (!INVOCATION_TYPES.contains(invocationType)) {
            throw new TaskFailedException("Lambda.AWSLambdaException", "1 validation error detected: Value '"
                    + invocationType + "' at 'invocationType' failed to satisfy constraint: Member must satisfy"
                    + " enum value set: [Event, RequestResponse, DryRun]");
        }
        // Invoke without a payload hands the function an empty JSON object
        var payload = parameters.has("Payload") ? parameters.get("Payload") : Json.mapper().createObjectNode();
        return switch (invocationType) {
            case "Event" -> {
                var function = lookup(reference);
                var requestId = UUID.randomUUID().toString();
                var finalReference = reference;
                Thread.ofVirtual().name("lambda-event-" + function.name()).start(() -> {
                    try {
                        function.invoke(payload, context(function, finalReference, requestId, context));
                    } catch (LocalFunction.FunctionError e) {
                        LOG.log(Level.WARNING, "asynchronous invocation of " + function.name() + " failed", e.getCause());
                    }
                });
                yield invokeResponse(reference, requestId, 202, Json.mapper().getNodeFactory().textNode(""));
            }
            case "DryRun" -> {
                lookup(reference);
                yield invokeResponse(reference, UUID.randomUUID().toString(), 204,
                        Json.mapper().getNodeFactory().textNode(""));
            }
            default -> {
                var result = call(reference, payload, context);
                yield invokeResponse(reference, result.requestId(), 200, result.payload());
            }
        };
    }

    private Invocation call(FunctionReference reference, JsonNode event, TaskContext task) throws TaskFailedException {
        var function = lookup(reference);
        var requestId = UUID.randomUUID().toString();
        try {
            concurrency.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskFailedException("Lambda.TooManyRequestsException", "Rate Exceeded.");
        }
        try {
            return new Invocation(requestId, function.invoke(event == null ? Json.mapper().nullNode() : event,
                    context(function, reference, requestId, task)));
        } catch (LocalFunction.FunctionError e) {
            var thrown = e.getCause();
            throw new TaskFailedException(LambdaErrorDocument.errorType(thrown), LambdaErrorDocument.of(thrown).toString());
        } finally {
            concurrency.release();
        }
    }

    private LocalFunction lookup(FunctionReference reference) throws TaskFailedException {
        var function = functions.get(reference.functionName());
        if (function == null) {
            throw new TaskFailedException("Lambda.ResourceNotFoundException", "Function not found: "
                    + functionArn(reference.functionName(), reference.qualifier())
                    + " (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: "
                    + UUID.randomUUID() + "; Proxy: null)");
        }
        return function;
    }

    private InvocationContext context(LocalFunction function, FunctionReference reference, String requestId,
                                       TaskContext task) {
        var timeout = task != null && task.timeoutSeconds() != null
                ? Duration.ofSeconds(task.timeoutSeconds()) : defaultTimeout;
        return new InvocationContext(requestId, function.name(), reference.executedVersion(),
                functionArn(function.name(), reference.qualifier()), memoryLimitMb,
                clock.instant().plus(timeout), clock, message -> log.accept(function.name(), message));
    }

    /** Lambda's Invoke response as the optimized integration returns it, payload parsed. */
    private ObjectNode invokeResponse(FunctionReference reference, String requestId, int status, JsonNode payload) {
        var version = reference.executedVersion();
        var traceId = "Root=1-" + Long.toHexString(clock.millis() / 1000) + "-"
                + HexFormat.of().formatHex(randomBytes(12)) + ";Sampled=0";
        var headers = new LinkedHashMap<String, String>();
        headers.put("Connection", "keep-alive");
        headers.put("Content-Length", Integer.toString(payload.isTextual() && payload.asText().isEmpty() ? 0
                : payload.toString().getBytes(StandardCharsets.UTF_8).length));
        headers.put("Content-Type", "application/json");
        headers.put("Date", HTTP_DATE.format(clock.instant()));
        headers.put("X-Amz-Executed-Version", version);
        headers.put("x-amzn-Remapped-Content-Length", "0");
        headers.put("x-amzn-RequestId", requestId);
        headers.put("X-Amzn-Trace-Id", traceId);

        var response = Json.mapper().createObjectNode();
        response.put("ExecutedVersion", version);
        response.set("Payload", payload);
        var http = response.putObject("SdkHttpMetadata");
        var all = http.putObject("AllHttpHeaders");
        headers.forEach((k, v) -> all.putArray(k).add(v));
        var single = http.putObject("HttpHeaders");
        headers.forEach(single::put);
        http.put("HttpStatusCode", status);
        response.putObject("SdkResponseMetadata").put("RequestId", requestId);
        response.put("StatusCode", status);
        return response;
    }

    private static byte[] randomBytes(int n) {
        var bytes = new byte[n];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private record Invocation(String requestId, JsonNode payload) {
    }

    /** Registers functions and sets the ARN region/account, default timeout and log stream. */
    public static final class Builder {

        private final Map<String, LocalFunction> functions = new LinkedHashMap<>();
        private String region = "us-east-1";
        private String accountId = "000000000000";
        private Duration defaultTimeout = Duration.ofSeconds(60);
        private int memoryLimitMb = 1024;
        private Clock clock = Clock.systemUTC();
        private BiConsumer<String, String> log = (function, message) -> System.out.println(message);
        private int maxConcurrency = DEFAULT_CONCURRENCY;

        private Builder() {
        }

        /** How many invocations run at once (default {@value #DEFAULT_CONCURRENCY}); more wait for a slot. */
        public Builder maxConcurrency(int value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxConcurrency must be positive: " + value);
            }
            this.maxConcurrency = value;
            return this;
        }

        /** Registers a handler under a function name (not an ARN); aliases and versions of it run it too. */
        public Builder function(String functionName, RequestHandler<?, ?> handler) {
            return add(functionName, new LocalFunction(functionName, Objects.requireNonNull(handler)));
        }

        /** Registers a handler whose input type its class does not declare (a lambda expression, say). */
        public <I> Builder function(String functionName, Class<I> inputType, RequestHandler<I, ?> handler) {
            return add(functionName, new LocalFunction(functionName, Objects.requireNonNull(handler),
                    Json.mapper().constructType(inputType)));
        }

        private Builder add(String functionName, LocalFunction function) {
            var reference = FunctionReference.parse(functionName)
                    .filter(r -> r.qualifier() == null && r.functionName().equals(functionName))
                    .orElseThrow(() -> new IllegalArgumentException("not a plain Lambda function name: " + functionName));
            if (functions.putIfAbsent(reference.functionName(), function) != null) {
                throw new IllegalArgumentException("function registered twice: " + functionName);
            }
            return this;
        }

        public Builder region(String region) {
            this.region = Objects.requireNonNull(region);
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = Objects.requireNonNull(accountId);
            return this;
        }

        /** The deadline a handler's Context reports when the Task state sets no TimeoutSeconds. */
        public Builder defaultTimeout(Duration defaultTimeout) {
            this.defaultTimeout = Objects.requireNonNull(defaultTimeout);
            return this;
        }

        public Builder memoryLimitMb(int memoryLimitMb) {
            this.memoryLimitMb = memoryLimitMb;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** Where handlers' {@code LambdaLogger} writes, a line per message; stdout by default. */
        public Builder log(PrintStream log) {
            Objects.requireNonNull(log);
            return log((function, message) -> log.println(message));
        }

        /** Takes each message a handler logs, with the function's name (the local stack's console). */
        public Builder log(BiConsumer<String, String> log) {
            this.log = Objects.requireNonNull(log);
            return this;
        }

        public LocalLambdaInvoker build() {
            return new LocalLambdaInvoker(this);
        }
    }
}
