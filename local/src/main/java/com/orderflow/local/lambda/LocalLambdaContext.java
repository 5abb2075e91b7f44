package com.orderflow.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The Lambda {@link Context} of one in-process invocation: request id, function identity, a deadline
 * the remaining time counts down to, and a logger writing to the given sink. Used by the workflow's
 * task invoker and by the API Gateway front end alike.
 */
public record LocalLambdaContext(
        String awsRequestId,
        String functionName,
        String functionVersion,
        String invokedFunctionArn,
        int memoryLimitInMB,
        Instant deadline,
        Clock clock,
        Consumer<String> logSink) implements Context {

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
