package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.StepFunctionsServerTest.ROLE;
import static com.orderflow.local.sfn.StepFunctionsServerTest.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.orderflow.local.store.EventLog;
import com.orderflow.local.store.WorkflowStore;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.StateMachineType;
import software.amazon.awssdk.services.sfn.model.StateMachineTypeNotSupportedException;
import software.amazon.awssdk.services.sfn.model.SyncExecutionStatus;

/**
 * EXPRESS state machines through the SDK: StartSyncExecution (whose {@code sync-} host prefix the SDK is told not
 * to inject, as its documentation says for a custom endpoint), at-most-once runs kept nowhere, AWS's refusals.
 */
class ExpressExecutionTest {

    static final String PASS = """
            {"StartAt":"Shape","States":{"Shape":{"Type":"Pass","Parameters":{"greeting.$":"$.name"},"End":true}}}""";
    static final String FAIL = """
            {"StartAt":"No","States":{"No":{"Type":"Fail","Error":"Order.Refused","Cause":"told to"}}}""";
    static final String HOLD = """
            {"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":60,"End":true}}}""";

    @TempDir
    Path dir;
    WorkflowStore store;
    StepFunctionsServer server;
    SfnClient sfn;

    @BeforeEach
    void start() throws Exception {
        store = WorkflowStore.open(dir, EventLog.Options.defaults());
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).store(store).build());
        sfn = client(server);
    }

    static SfnClient client(StepFunctionsServer server) {
        return SfnClient.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true))
                .build();
    }

    @AfterEach
    void stop() {
        sfn.close();
        server.close();
        store.close();
    }

    private String express(String definition) {
        return sfn.createStateMachine(b -> b.name(unique("express")).definition(definition).roleArn(ROLE)
                .type(StateMachineType.EXPRESS)).stateMachineArn();
    }

    @Test
    void startSyncExecution_answersWithOutputStatusAndBilling() {
        var arn = express(PASS);

        var run = sfn.startSyncExecution(b -> b.stateMachineArn(arn).name("quick").input("{\"name\":\"ada\"}"));

        assertThat(run.status()).isEqualTo(SyncExecutionStatus.SUCCEEDED);
        assertThat(run.output()).isEqualTo("{\"greeting\":\"ada\"}");
        assertThat(run.input()).isEqualTo("{\"name\":\"ada\"}");
        assertThat(run.name()).isEqualTo("quick");
        assertThat(run.stateMachineArn()).isEqualTo(arn);
        assertThat(run.executionArn()).startsWith(arn.replace(":stateMachine:", ":express:") + ":quick:");
        assertThat(run.stopDate()).isAfterOrEqualTo(run.startDate());
        assertThat(run.billingDetails().billedMemoryUsedInMB()).isEqualTo(64L);
        assertThat(run.billingDetails().billedDurationInMilliseconds()).isPositive().isEqualTo(
                run.billingDetails().billedDurationInMilliseconds() / 100 * 100);
    }

    @Test
    void aFailingSyncExecution_isAnAnswerWithErrorAndCause_notAnApiError() {
        var arn = express(FAIL);

        var run = sfn.startSyncExecution(b -> b.stateMachineArn(arn));

        assertThat(run.status()).isEqualTo(SyncExecutionStatus.FAILED);
        assertThat(run.error()).isEqualTo("Order.Refused");
        assertThat(run.cause()).isEqualTo("told to");
        assertThat(run.output()).isNull();
    }

    @Test
    void startSyncExecution_ofAStandardMachine_isStateMachineTypeNotSupported() {
        var arn = sfn.createStateMachine(b -> b.name(unique("standard")).definition(PASS).roleArn(ROLE))
                .stateMachineArn();

        assertThatThrownBy(() -> sfn.startSyncExecution(b -> b.stateMachineArn(arn)))
                .isInstanceOf(StateMachineTypeNotSupportedException.class);
    }

    @Test
    void anExpressExecution_isNeitherDescribedNorListedNorGivenAHistory_asOnAws() {
        var arn = express(HOLD);

        var started = sfn.startExecution(b -> b.stateMachineArn(arn)).executionArn();

        assertThat(started).contains(":express:");
        assertThatThrownBy(() -> sfn.describeExecution(b -> b.executionArn(started)))
                .isInstanceOf(InvalidArnException.class).hasMessageContaining("Resource type not valid in this context: express");
        assertThatThrownBy(() -> sfn.getExecutionHistory(b -> b.executionArn(started)))
                .isInstanceOf(InvalidArnException.class).hasMessageContaining("express");
        assertThatThrownBy(() -> sfn.stopExecution(b -> b.executionArn(started)))
                .isInstanceOf(InvalidArnException.class);
        assertThatThrownBy(() -> sfn.listExecutions(b -> b.stateMachineArn(arn)))
                .isInstanceOf(StateMachineTypeNotSupportedException.class);
        assertThat(server.api().runningCount()).isEqualTo(1);
    }

    @Test
    void anExpressExecution_runsAtMostOnce_aRestartDoesNotResumeIt() throws Exception {
        var arn = express(HOLD);
        sfn.startExecution(b -> b.stateMachineArn(arn));
        assertThat(server.api().runningCount()).isEqualTo(1);

        stop();
        start();
        var resumed = server.api().resumeAll();

        assertThat(resumed.resumed()).isZero();
        assertThat(resumed.failed()).isEmpty();
        assertThat(store.size()).isZero();
        assertThat(server.api().runningCount()).isZero();
    }

    @Test
    void startSyncExecution_byVersion_runsThatVersion() {
        var created = sfn.createStateMachine(b -> b.name(unique("exv")).definition(PASS).roleArn(ROLE)
                .type(StateMachineType.EXPRESS).publish(true));
        sfn.updateStateMachine(b -> b.stateMachineArn(created.stateMachineArn()).definition(FAIL));

        var run = sfn.startSyncExecution(b -> b.stateMachineArn(created.stateMachineVersionArn()).input("{\"name\":\"v1\"}"));

        assertThat(run.status()).isEqualTo(SyncExecutionStatus.SUCCEEDED);
        assertThat(run.output()).isEqualTo("{\"greeting\":\"v1\"}");
    }
}
