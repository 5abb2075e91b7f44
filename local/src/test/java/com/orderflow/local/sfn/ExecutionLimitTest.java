package com.orderflow.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SfnException;

/** The limit of open executions, seen through the real SDK: a start past it is throttled at once, as on AWS. */
class ExecutionLimitTest {

    private static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private StepFunctionsServer server;
    private SfnClient sfn;
    private String waiting;

    @BeforeEach
    void start() {
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).maxOpenExecutions(2).build());
        sfn = SfnTestClients.sfn(server);
        waiting = sfn.createStateMachine(b -> b.name("hold").definition(StepFunctionsServerTest.WAIT)
                .roleArn(StepFunctionsServerTest.ROLE)).stateMachineArn();
    }

    @AfterEach
    void stop() {
        sfn.close();
        server.close();
    }

    @Test
    void startPastTheLimit_isThrottlingExceptionWithStatus400_andOpensNothing() {
        sfn.startExecution(b -> b.stateMachineArn(waiting).name("one"));
        sfn.startExecution(b -> b.stateMachineArn(waiting).name("two"));

        var refused = catchThrowableOfType(SfnException.class,
                () -> sfn.startExecution(b -> b.stateMachineArn(waiting).name("three")));

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
        assertThat(refused.isThrottlingException()).isTrue();
        assertThat(refused.awsErrorDetails().errorMessage()).startsWith("Rate exceeded");
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(waiting)).executions())
                .extracting(e -> e.name()).containsExactlyInAnyOrder("one", "two");
        assertThat(server.api().runningCount()).isEqualTo(2);
    }

    @Test
    void aSlotFreedByAnEndedExecution_admitsTheNextStart() throws InterruptedException {
        var first = sfn.startExecution(b -> b.stateMachineArn(waiting).name("one")).executionArn();
        sfn.startExecution(b -> b.stateMachineArn(waiting).name("two"));
        assertThat(catchThrowableOfType(SfnException.class,
                () -> sfn.startExecution(b -> b.stateMachineArn(waiting).name("three")))).isNotNull();

        sfn.stopExecution(b -> b.executionArn(first));

        var deadline = Instant.now().plus(MAX_WAIT);
        String third = null;
        while (third == null) {
            try {
                third = sfn.startExecution(b -> b.stateMachineArn(waiting).name("three")).executionArn();
            } catch (SfnException stillFull) {
                // the slot is given back as the stopped execution's completion runs; an upper bound, not a timing
                assertThat(Instant.now()).as("a slot freed by StopExecution").isBefore(deadline);
                Thread.sleep(10);
            }
        }
        assertThat(sfn.describeExecution(b -> b.executionArn(first)).statusAsString()).isEqualTo("ABORTED");
        assertThat(server.api().runningCount()).isEqualTo(2);
    }

    @Test
    void theDefaultLimit_isPerCore() {
        assertThat(StepFunctionsConfig.builder().build().maxOpenExecutions())
                .isEqualTo(StepFunctionsConfig.DEFAULT_OPEN_EXECUTIONS_PER_CORE * Runtime.getRuntime().availableProcessors());
    }
}
