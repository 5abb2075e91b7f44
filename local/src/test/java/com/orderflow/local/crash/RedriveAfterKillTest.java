package com.orderflow.local.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * A redriven execution is killed with SIGKILL (the engine in a child JVM) while the branch it redrove runs; started
 * again on the same store, it resumes like any other: the redrive stands, the branch that had succeeded before the
 * redrive is not run again, and the execution succeeds.
 */
class RedriveAfterKillTest extends EngineKillTest {

    private static final String ROLE = "arn:aws:iam::000000000000:role/r";
    private static final String FN = "arn:aws:lambda:us-east-1:000000000000:function:";
    private static final String FORK = """
            {"StartAt":"Fork","States":{"Fork":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Quick","States":{"Quick":{"Type":"Task","Resource":"%1$ssleep:live",
                "Parameters":{"ms":50},"End":true}}},
              {"StartAt":"Fixed","States":{"Fixed":{"Type":"Task","Resource":"%1$safterRedrive:live",
                "Parameters":{"ms":5000,"redrives.$":"$$.Execution.RedriveCount"},
                "Retry":[{"ErrorEquals":["NotYet"],"IntervalSeconds":1,"MaxAttempts":1}],"End":true}}}]}}}""".formatted(FN);

    @Test
    void sigkillDuringARedrivenBranch_resumesTheRedrive_andSucceeds() throws Exception {
        // given: an execution that failed in one branch, redriven, and inside the branch it runs again
        int port = startChild();
        String arn;
        try (var sfn = client(port)) {
            String sm = sfn.createStateMachine(b -> b.name("fork").definition(FORK).roleArn(ROLE)).stateMachineArn();
            arn = sfn.startExecution(b -> b.stateMachineArn(sm).name("redriven")).executionArn();
            String started = arn;
            assertThat(awaitStatus(sfn, started, "FAILED")).isTrue();
            sfn.redriveExecution(b -> b.executionArn(started));
            awaitInFlightAfterRedrive(sfn, arn);
        }

        // when the process is killed outright and started again on the same store
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(child.exitValue()).isEqualTo(137);
        port = startChild();

        try (var sfn = client(port)) {
            String redriven = arn;
            assertThat(awaitStatus(sfn, redriven, "SUCCEEDED")).isTrue();
            var described = sfn.describeExecution(b -> b.executionArn(redriven));
            var history = history(sfn, arn);

            // then
            assertThat(described.redriveCount()).isEqualTo(1);
            assertThat(count(history, "ExecutionRedriven")).isEqualTo(1);
            assertThat(scheduled(history, "sleep")).as("the branch that succeeded before the redrive").isEqualTo(1);
            int redrive = history.stream().filter(e -> e.typeAsString().equals("ExecutionRedriven")).findFirst()
                    .orElseThrow().id().intValue();
            assertThat(scheduled(history.subList(0, redrive), "afterRedrive")).as("failed, retried, failed").isEqualTo(2);
            assertThat(scheduled(history.subList(redrive, history.size()), "afterRedrive"))
                    .as("scheduled once by the redrive; in flight at the kill, it is invoked again as it was scheduled")
                    .isEqualTo(1);
            assertThat(history.getLast().typeAsString()).isEqualTo("ExecutionSucceeded");
            for (int i = 0; i < history.size(); i++) {
                assertThat(history.get(i).id()).isEqualTo(i + 1L);
            }
        }
    }

    private static void awaitInFlightAfterRedrive(SfnClient sfn, String arn) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            var h = history(sfn, arn);
            boolean redriven = count(h, "ExecutionRedriven") == 1;
            if (redriven && h.getLast().typeAsString().equals("LambdaFunctionStarted")) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the redriven branch never started: " + history(sfn, arn));
    }

    private static boolean awaitStatus(SfnClient sfn, String arn, String status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String now = sfn.describeExecution(b -> b.executionArn(arn)).statusAsString();
            if (now.equals(status)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static List<HistoryEvent> history(SfnClient sfn, String arn) {
        return sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(1000)).events();
    }

    private static long count(List<HistoryEvent> history, String type) {
        return history.stream().filter(e -> e.typeAsString().equals(type)).count();
    }

    private static long scheduled(List<HistoryEvent> history, String function) {
        return history.stream().filter(e -> e.lambdaFunctionScheduledEventDetails() != null
                && e.lambdaFunctionScheduledEventDetails().resource().contains("function:" + function + ":")).count();
    }
}
