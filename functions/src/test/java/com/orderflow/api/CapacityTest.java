package com.orderflow.api;

import static com.orderflow.api.ApiTestStack.call;
import static com.orderflow.api.ApiTestStack.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.orderflow.api.ids.SecureRandomOrderIdGenerator;
import com.orderflow.api.orders.OrderSubmission;
import com.orderflow.aws.AwsEnvironment;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * POST /orders when Step Functions takes no more executions: 503 with Retry-After at once, whatever retry policy
 * the SfnClient was built with: the function's own (which carries the start policy) and one with the SDK's defaults
 * (three attempts with backoff for throttling), on which the policy is put per call.
 */
class CapacityTest {

    enum Client { THE_FUNCTIONS_OWN, SDK_DEFAULTS }

    private static final String ORDER = ApiTestStack.payload("order-completed.json");

    private StepFunctionsStub sfn;
    private SfnClient sfnClient;
    private ApiHandler handler;

    /** The API handler over a stub Step Functions, calling it through {@code client}. */
    private void start(Client client) {
        var stack = ApiTestStack.shared();
        sfn = StepFunctionsStub.start(ApiTestStack.STATE_MACHINE_ARN);
        sfnClient = switch (client) {
            case THE_FUNCTIONS_OWN -> ApiConfig.newSfnClient(
                    AwsEnvironment.from(Map.of(AwsEnvironment.SFN_ENDPOINT_URL, sfn.endpoint().toString())));
            case SDK_DEFAULTS -> SfnClient.builder()
                    .endpointOverride(sfn.endpoint())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .build();
        };
        handler = new ApiHandler(new ApiConfig(stack.newBucket(), ApiTestStack.STATE_MACHINE_ARN, null),
                stack.s3.client(), sfnClient, new SecureRandomOrderIdGenerator(Clock.systemUTC()));
    }

    @AfterEach
    void stop() {
        if (sfnClient != null) {
            sfnClient.close();
        }
        if (sfn != null) {
            sfn.close();
        }
    }

    @Test
    void theFunctionsOwnClient_carriesTheStartPolicy_soNoCallNeedsAPlugin() {
        start(Client.THE_FUNCTIONS_OWN);

        assertThat(sfnClient.serviceClientConfiguration().overrideConfiguration().retryStrategy())
                .containsSame(OrderSubmission.START_RETRIES);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void throttledStart_is503WithRetryAfterAndProblem_afterOneAttempt(Client client) {
        start(client);
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

    @ParameterizedTest
    @EnumSource(Client.class)
    void executionLimitExceeded_is503WithRetryAfter_too(Client client) {
        start(client);
        sfn.refuseStarts(new StepFunctionsStub.Refusal(400, "ExecutionLimitExceeded"));

        var reply = call(handler, postJson(ORDER, Map.of("Idempotency-Key", "capacity-1")));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isEqualTo("1");
        assertThat(sfn.startCalls()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void anUnavailableStepFunctions_isRetriedOnce_thenAnswered503(Client client) {
        start(client);
        sfn.refuseStarts(new StepFunctionsStub.Refusal(503, "ServiceUnavailable"));

        var reply = call(handler, postJson(ORDER, Map.of()));

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.header("Retry-After")).isEqualTo("1");
        assertThat(sfn.startCalls()).as("StartExecution attempts").isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void onceStartsAreTakenAgain_theOrderIsAccepted(Client client) {
        start(client);
        sfn.refuseStarts(new StepFunctionsStub.Refusal(400, "ThrottlingException"));
        assertThat(call(handler, postJson(ORDER, Map.of("Idempotency-Key", "capacity-2"))).status()).isEqualTo(503);
        sfn.refuseStarts(null);

        var reply = call(handler, postJson(ORDER, Map.of("Idempotency-Key", "capacity-2")));

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.header("Idempotent-Replayed")).isNull();
    }
}
