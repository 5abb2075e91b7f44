package com.orderflow.local.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderflow.json.Json;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * A parent waiting on a named child ({@code states:startExecution.sync:2}) when the engine's JVM is killed with
 * SIGKILL: after the restart both resume, the parent's Task finds its child again rather than starting a second
 * one, and the parent ends with the child's output.
 */
class NestedAfterKillTest extends EngineKillTest {

    private static final String ROLE = "arn:aws:iam::000000000000:role/r";
    private static final String CHILD = """
            {"StartAt":"Work","States":{"Work":{"Type":"Task",
              "Resource":"arn:aws:lambda:us-east-1:000000000000:function:sleep:live","End":true}}}""";
    private static final String PARENT = """
            {"StartAt":"Nested","States":{"Nested":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
              "Parameters":{"StateMachineArn":"%s","Name":"kid","Input":{"ms":4000}},
              "OutputPath":"$.Output","End":true}}}""";

    @Test
    void sigkillWhileAParentWaitsOnItsChild_resumesBoth_withOneChild() throws Exception {
        int port = startChild();
        String parentArn;
        String childMachine;
        try (var sfn = client(port)) {
            childMachine = sfn.createStateMachine(b -> b.name("kid-machine").definition(CHILD).roleArn(ROLE))
                    .stateMachineArn();
            String parentMachine = sfn.createStateMachine(b -> b.name("parent-machine")
                    .definition(PARENT.formatted(childMachine)).roleArn(ROLE)).stateMachineArn();
            parentArn = sfn.startExecution(b -> b.stateMachineArn(parentMachine).name("parent")).executionArn();
            String kid = childMachine.replace(":stateMachine:", ":execution:") + ":kid";
            awaitLast(sfn, kid, "LambdaFunctionStarted");
        }

        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(child.exitValue()).isEqualTo(137);
        port = startChild();

        try (var sfn = client(port)) {
            String arn = parentArn;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            var described = sfn.describeExecution(b -> b.executionArn(arn));
            while (described.statusAsString().equals("RUNNING") && System.nanoTime() < deadline) {
                Thread.sleep(100);
                described = sfn.describeExecution(b -> b.executionArn(arn));
            }
            assertThat(described.statusAsString()).as(described.error() + ": " + described.cause()).isEqualTo("SUCCEEDED");
            assertThat(Json.mapper().readTree(described.output()).path("slept").asLong()).isEqualTo(4000);
            String machine = childMachine;
            assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine)).executions()).singleElement()
                    .satisfies(e -> assertThat(e.statusAsString()).isEqualTo("SUCCEEDED"));
        }
    }

    private static void awaitLast(SfnClient sfn, String arn, String type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                var events = sfn.getExecutionHistory(b -> b.executionArn(arn)).events();
                if (!events.isEmpty() && events.getLast().typeAsString().equals(type)) {
                    return;
                }
            } catch (software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException e) {
                // not started yet
            }
            Thread.sleep(20);
        }
        throw new AssertionError(arn + " never reached " + type);
    }
}
