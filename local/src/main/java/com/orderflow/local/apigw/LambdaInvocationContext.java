package com.orderflow.local.apigw;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The Lambda {@link Context} of one in-process invocation: request id, function identity, a
 * deadline the remaining time counts down to, and a logger writing to the given sink.
 */
public record LambdaInvocationContext(
        String awsRequestId,
        String functionName,
        String invokedFunctionArn,
        int memoryLimitInMB,
        Instant deadline,
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
        return "local/[live]" + awsRequestId;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    /** An alias runs a published version; locally there is only the code in this JVM, as {@code $LATEST}. */
    @Override
    public String getFunctionVersion() {
        return "$LATEST";
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
        long left = deadline.toEpochMilli() - System.currentTimeMillis();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, left));
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
