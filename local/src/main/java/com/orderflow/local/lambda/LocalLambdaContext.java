package com.orderflow.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;

/** The Lambda {@link Context} of one in-process invocation: request id, names, deadline and a stdout logger. */
final class LocalLambdaContext implements Context {

    private final String requestId;
    private final String functionName;
    private final String functionVersion;
    private final String invokedFunctionArn;
    private final int memoryLimitMb;
    private final Instant deadline;
    private final Clock clock;
    private final LambdaLogger logger;

    LocalLambdaContext(String requestId, String functionName, String functionVersion, String invokedFunctionArn,
                       int memoryLimitMb, Instant deadline, Clock clock, PrintStream out) {
        this.requestId = requestId;
        this.functionName = functionName;
        this.functionVersion = functionVersion;
        this.invokedFunctionArn = invokedFunctionArn;
        this.memoryLimitMb = memoryLimitMb;
        this.deadline = deadline;
        this.clock = clock;
        this.logger = new LambdaLogger() {
            @Override
            public void log(String message) {
                out.println(message);
            }

            @Override
            public void log(byte[] message) {
                out.println(new String(message, StandardCharsets.UTF_8));
            }
        };
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local/" + functionName;
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
        return memoryLimitMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
