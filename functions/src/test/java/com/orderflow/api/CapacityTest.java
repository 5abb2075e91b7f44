package com.orderflow.api;

import static com.orderflow.api.ApiTestStack.call;
import static com.orderflow.api.ApiTestStack.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.orderflow.api.ids.SecureRandomOrderIdGenerator;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * POST /orders when Step Functions takes no more executions: 503 with Retry-After at once, whatever retry policy
 * the SfnClient was built with (this one has the SDK's defaults, three attempts with backoff for throttling).
 */
class CapacityTest {

    private static final String ORDER = ApiTestStack.payload("order-completed.json");

    private StepFunctionsStub sfn;
    private SfnClient sfnClient;
    private ApiHandler handler;

    @BeforeEach
    void start() {
        var stack = ApiTestStack.shared();
        sfn = StepFunctionsStub.start(ApiTestStack.STATE_MACHINE_ARN);
        sfnClient = SfnClient.builder()
                .endpointOverride(sfn.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        handler = new ApiHandler(new ApiConfig(stack.newBucket(), ApiTestStack.STATE_MACHINE_ARN, null),
                stack.s3.client(), sfnClient, new SecureRandomOrderIdGenerator(Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        sfnClient.close();
        sfn.close();
    }

    @Test
    void throttledStart_is503WithRetryAfterAndProblem_afterOneAttempt() {
        sfn.refuseStarts(new StepFunctionsStub.Refusal(400, "ThrottlingException"));

        var reply = call(handler, postJson(ORDER, Map.of()));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isEqualTo("1");
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.json().path("title").asText()).isEqualTo("Service Unavailable");
        assertThat(reply.json().path("detail").asText()).contains("none was created", "Retry after 1 s");
        assertThat(reply.json().path("instance").asText()).isEqualTo("/orders");
        assertThat(sfn.startCalls()).as("StartExecution attempts").isEqualTo(1);
        assertThat(sfn.executions()).isEmpty();
    }

    @Test
    void executionLimitExceeded_is503WithRetryAfter_too() {
        sfn.refuseStarts(new StepFunctionsStub.Refusal(400, "ExecutionLimitExceeded"));

        var reply = call(handler, postJson(ORDER, Map.of("Idempotency-Key", "capacity-1")));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isEqualTo("1");
        assertThat(sfn.startCalls()).isEqualTo(1);
    }

    @Test
    void anUnavailableStepFunctions_isRetriedOnce_thenAnswered503() {
        sfn.refuseStarts(new StepFunctionsStub.Refusal(503, "ServiceUnavailable"));

        var reply = call(handler, postJson(ORDER, Map.of()));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isEqualTo("1");
        assertThat(sfn.startCalls()).as("StartExecution attempts").isEqualTo(2);
    }

    @Test
    void onceStartsAreTakenAgain_theOrderIsAccepted() {
        sfn.refuseStarts(new StepFunctionsStub.Refusal(400, "ThrottlingException"));
        assertThat(call(handler, postJson(ORDER, Map.of("Idempotency-Key", "capacity-2"))).status()).isEqualTo(503);
        sfn.refuseStarts(null);

        var reply = call(handler, postJson(ORDER, Map.of("Idempotency-Key", "capacity-2")));

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.header("Idempotent-Replayed")).isNull();
    }
}
