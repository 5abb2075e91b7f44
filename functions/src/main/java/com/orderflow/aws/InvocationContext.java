package com.orderflow.aws;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The Lambda {@link Context} of one invocation outside Lambda: request id, function identity, a deadline the
 * remaining time counts down to, and a logger writing to the given sink. The one context the project has: the local
 * stack's task invoker and API Gateway front end, SnapStart priming, the benchmarks and the tests all use it.
 */
public record InvocationContext(
        String awsRequestId,
        String functionName,
        String functionVersion,
        String invokedFunctionArn,
        int memoryLimitInMB,
        Instant deadline,
        Clock clock,
        Consumer<String> logSink) implements Context {

    /** How long a context made by {@link #of} leaves its invocation: the API function's timeout on AWS. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /**
     * A context for {@code functionName} ({@code $LATEST}, 1,024 MB, in account {@code 000000000000} of
     * {@code us-east-1}) with {@link #DEFAULT_TIMEOUT} left from now.
     */
    public static InvocationContext of(String requestId, String functionName, Consumer<String> logSink) {
        var clock = Clock.systemUTC();
        return new InvocationContext(requestId, functionName, "$LATEST",
                "arn:aws:lambda:us-east-1:000000000000:function:" + functionName, 1024,
                clock.instant().plus(DEFAULT_TIMEOUT), clock, logSink);
    }

    @Override
    public String getAwsRequestId() {
        return awsRequestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local/[" + functionVersion + "]" + awsRequestId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return functionVersion;
    }

    @Override
    public String getInvokedFunctionArn() {
        return invokedFunctionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        long millis = deadline.toEpochMilli() - clock.millis();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, millis));
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryLimitInMB;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                logSink.accept(message);
            }

            @Override
            public void log(byte[] message) {
                logSink.accept(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
