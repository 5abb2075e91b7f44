package com.orderflow.local.sfn;

import com.orderflow.local.engine.ExecutionStatus;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

/** The real SDK client pointed at a local endpoint, and a wait for an execution to end. */
final class SfnTestClients {

    /** An upper bound so a broken engine fails the test instead of hanging it; not a timing assertion. */
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private SfnTestClients() {
    }

    static SfnClient sfn(StepFunctionsServer server) {
        return SfnClient.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    static DescribeExecutionResponse awaitEnd(SfnClient sfn, String executionArn) throws InterruptedException {
        var deadline = Instant.now().plus(MAX_WAIT);
        while (true) {
            var described = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (described.status() != software.amazon.awssdk.services.sfn.model.ExecutionStatus.RUNNING) {
                return described;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("execution still " + ExecutionStatus.RUNNING + " after " + MAX_WAIT
                        + ": " + executionArn);
            }
            Thread.sleep(20);
        }
    }
}
