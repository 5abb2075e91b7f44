package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.SfnTestClients.awaitEnd;
import static com.orderflow.local.sfn.StepFunctionsServerTest.ROLE;
import static com.orderflow.local.sfn.StepFunctionsServerTest.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.orderflow.json.Json;
import com.orderflow.local.engine.TaskToken;
import com.orderflow.local.lambda.LocalLambdaInvoker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ActivityDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidOutputException;
import software.amazon.awssdk.services.sfn.model.InvalidTokenException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.TaskTimedOutException;

/**
 * Callbacks through the SDK: {@code lambda:invoke.waitForTaskToken} hands a real local Lambda the token, the
 * execution waits until SendTaskSuccess / SendTaskFailure, heartbeats and timeouts end it as AWS does; activities
 * are created, polled with GetActivityTask and answered with the same calls.
 */
class CallbacksTest {

    /** Each payload the "notify" function received: the worker side of a callback. */
    private final LinkedBlockingQueue<Map<String, Object>> notified = new LinkedBlockingQueue<>();
    private StepFunctionsServer server;
    private SfnClient sfn;

    @BeforeEach
    void start() {
        RequestHandler<Map<String, Object>, Map<String, Object>> notify = (payload, context) -> {
            notified.add(payload);
            return Map.of("queued", true);
        };
        var lambdas = LocalLambdaInvoker.builder().function("notify", notify).build();
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).taskInvoker(lambdas)
                .activityPoll(Duration.ofMillis(300)).build());
        sfn = SfnTestClients.sfn(server);
    }

    @AfterEach
    void stop() {
        sfn.close();
        server.close();
    }

    private String machine(String definition) {
        return sfn.createStateMachine(b -> b.name(unique("cb")).definition(definition).roleArn(ROLE)).stateMachineArn();
    }

    private static String callback(String extra) {
        return """
                {"StartAt":"Ask","States":{"Ask":{"Type":"Task",
                  "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                  "Parameters":{"FunctionName":"notify","Payload":{"token.$":"$$.Task.Token","order.$":"$.order"}},
                  "ResultPath":"$.answer",%s"End":true}}}""".formatted(extra);
    }

    private String tokenOfNextNotification() throws InterruptedException {
        var payload = notified.poll(10, TimeUnit.SECONDS);
        assertThat(payload).as("the function was invoked with the token").isNotNull();
        return (String) payload.get("token");
    }

    private List<String> types(String executionArn) {
        return history(executionArn).stream().map(HistoryEvent::typeAsString).toList();
    }

    private List<HistoryEvent> history(String executionArn) {
        return sfn.getExecutionHistory(b -> b.executionArn(executionArn)).events();
    }

    private void awaitEvent(String executionArn, String type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!types(executionArn).contains(type)) {
            assertThat(System.nanoTime()).as("waiting for " + type).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void waitForTaskToken_waitsForSendTaskSuccess_andTakesItsOutputAsTheResult() throws Exception {
        var arn = sfn.startExecution(b -> b.stateMachineArn(machine(callback(""))).input("{\"order\":\"o-1\"}"))
                .executionArn();
        String token = tokenOfNextNotification();
        awaitEvent(arn, "TaskSubmitted");

        // the execution waits on the token: RUNNING, its last event the submission with the function's answer
        Thread.sleep(200);
        assertThat(sfn.describeExecution(b -> b.executionArn(arn)).statusAsString()).isEqualTo("RUNNING");
        var submitted = history(arn).getLast();
        assertThat(submitted.typeAsString()).isEqualTo("TaskSubmitted");
        assertThat(submitted.taskSubmittedEventDetails().resourceType()).isEqualTo("lambda");
        assertThat(submitted.taskSubmittedEventDetails().resource()).isEqualTo("invoke.waitForTaskToken");
        assertThat(Json.mapper().readTree(submitted.taskSubmittedEventDetails().output()).path("Payload")
                .path("queued").asBoolean()).isTrue();

        sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"approved\":true}"));

        var ended = awaitEnd(sfn, arn);
        assertThat(ended.statusAsString()).isEqualTo("SUCCEEDED");
        assertThat(Json.mapper().readTree(ended.output()))
                .isEqualTo(Json.mapper().readTree("{\"order\":\"o-1\",\"answer\":{\"approved\":true}}"));
        assertThat(types(arn)).containsExactly("ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded");
        var scheduled = history(arn).get(2).taskScheduledEventDetails();
        assertThat(Json.mapper().readTree(scheduled.parameters()).path("Payload").path("token").asText()).isEqualTo(token);

        // the task is over: its token is answered as AWS answers a late callback
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")))
                .isInstanceOf(TaskTimedOutException.class);
    }

    @Test
    void sendTaskFailure_failsTheTask_whereCatchTakesItsErrorAndCause() throws Exception {
        var definition = callback("""
                "Catch":[{"ErrorEquals":["Order.Rejected"],"ResultPath":"$.error","Next":"Rejected"}],""")
                .replace("\"End\":true}}}", "\"End\":true},\"Rejected\":{\"Type\":\"Pass\",\"End\":true}}}");
        var arn = sfn.startExecution(b -> b.stateMachineArn(machine(definition)).input("{\"order\":\"o-2\"}"))
                .executionArn();
        String token = tokenOfNextNotification();

        sfn.sendTaskFailure(b -> b.taskToken(token).error("Order.Rejected").cause("no stock"));

        var ended = awaitEnd(sfn, arn);
        assertThat(ended.statusAsString()).isEqualTo("SUCCEEDED");
        assertThat(Json.mapper().readTree(ended.output()).path("error").path("Cause").asText()).isEqualTo("no stock");
        var failed = history(arn).stream().filter(e -> e.typeAsString().equals("TaskFailed")).findFirst().orElseThrow();
        assertThat(failed.taskFailedEventDetails().error()).isEqualTo("Order.Rejected");
        assertThat(failed.taskFailedEventDetails().resource()).isEqualTo("invoke.waitForTaskToken");
    }

    @Test
    void jsonata_readsTheTokenFromStatesContext() throws Exception {
        var definition = """
                {"QueryLanguage":"JSONata","StartAt":"Ask","States":{"Ask":{"Type":"Task",
                  "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                  "Arguments":{"FunctionName":"notify","Payload":{"token":"{% $states.context.Task.Token %}"}},
                  "Output":"{% $states.result.total %}","End":true}}}""";
        var arn = sfn.startExecution(b -> b.stateMachineArn(machine(definition))).executionArn();
        String token = tokenOfNextNotification();

        sfn.sendTaskSuccess(b -> b.taskToken(token).output("{\"total\":42}"));

        assertThat(awaitEnd(sfn, arn).output()).isEqualTo("42");
    }

    @Test
    void noHeartbeatWithinHeartbeatSeconds_timesOutAsStatesHeartbeatTimeout_whileHeartbeatsKeepItAlive()
            throws Exception {
        var machine = machine(callback("\"HeartbeatSeconds\":1,\"TimeoutSeconds\":30,"));
        // given one execution whose worker sends heartbeats and one whose worker is silent
        var kept = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"order\":\"kept\"}")).executionArn();
        String keptToken = tokenOfNextNotification();
        var silent = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"order\":\"silent\"}")).executionArn();
        tokenOfNextNotification();

        for (int i = 0; i < 6; i++) {
            Thread.sleep(400);
            sfn.sendTaskHeartbeat(b -> b.taskToken(keptToken));
        }
        // then the silent one timed out after a second, the other is still waiting 2.4 s in
        var silentEnd = awaitEnd(sfn, silent);
        assertThat(silentEnd.statusAsString()).isEqualTo("FAILED");
        assertThat(silentEnd.error()).isEqualTo("States.HeartbeatTimeout");
        var timedOut = history(silent).stream().filter(e -> e.typeAsString().equals("TaskTimedOut")).findFirst()
                .orElseThrow();
        assertThat(timedOut.taskTimedOutEventDetails().error()).isEqualTo("States.HeartbeatTimeout");
        var started = history(silent).stream().filter(e -> e.typeAsString().equals("TaskStarted")).findFirst()
                .orElseThrow();
        assertThat(Duration.between(started.timestamp(), timedOut.timestamp()))
                .isBetween(Duration.ofMillis(950), Duration.ofMillis(2_000));
        assertThat(sfn.describeExecution(b -> b.executionArn(kept)).statusAsString()).isEqualTo("RUNNING");

        sfn.sendTaskSuccess(b -> b.taskToken(keptToken).output("\"done\""));
        assertThat(awaitEnd(sfn, kept).statusAsString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void timeoutSecondsPath_endsTheWaitAsStatesTimeout() throws Exception {
        var arn = sfn.startExecution(b -> b.stateMachineArn(machine(callback("\"TimeoutSecondsPath\":\"$.wait\",")))
                .input("{\"order\":\"o-3\",\"wait\":1}")).executionArn();
        String token = tokenOfNextNotification();

        var ended = awaitEnd(sfn, arn);

        assertThat(ended.statusAsString()).isEqualTo("FAILED");
        assertThat(ended.error()).isEqualTo("States.Timeout");
        var scheduled = history(arn).get(2).taskScheduledEventDetails();
        assertThat(scheduled.timeoutInSeconds()).isEqualTo(1L);
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")))
                .isInstanceOf(TaskTimedOutException.class);
    }

    @Test
    void heartbeatSecondsPath_isReadFromTheInput_andEnforcedAsStatesHeartbeatTimeout() throws Exception {
        var arn = sfn.startExecution(b -> b.stateMachineArn(machine(callback("\"HeartbeatSecondsPath\":\"$.beat\",")))
                .input("{\"order\":\"o-6\",\"beat\":1}")).executionArn();
        tokenOfNextNotification();

        var ended = awaitEnd(sfn, arn);

        assertThat(ended.error()).isEqualTo("States.HeartbeatTimeout");
        assertThat(history(arn).get(2).taskScheduledEventDetails().heartbeatInSeconds()).isEqualTo(1L);
    }

    @Test
    void badTokensAndOutputs_getAwsErrors() throws Exception {
        var arn = sfn.startExecution(b -> b.stateMachineArn(machine(callback(""))).input("{\"order\":\"o-4\"}"))
                .executionArn();
        String token = tokenOfNextNotification();

        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken("not-a-token").output("{}")))
                .isInstanceOf(InvalidTokenException.class);
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(token).output("{not json")))
                .isInstanceOf(InvalidOutputException.class);
        var unknown = new TaskToken(arn.replace(":execution:", ":execution:x") + "-gone", 1L, 2L).encode();
        assertThatThrownBy(() -> sfn.sendTaskHeartbeat(b -> b.taskToken(unknown)))
                .isInstanceOf(TaskDoesNotExistException.class);

        // the bad answers changed nothing: the real one still counts
        sfn.sendTaskSuccess(b -> b.taskToken(token).output("1"));
        assertThat(awaitEnd(sfn, arn).statusAsString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void activity_isPolledWithGetActivityTask_andAnsweredWithSendTaskSuccess() throws Exception {
        var name = unique("act");
        var created = sfn.createActivity(b -> b.name(name).tags(t -> t.key("team").value("orders")));
        assertThat(created.activityArn()).isEqualTo("arn:aws:states:us-east-1:000000000000:activity:" + name);
        assertThat(sfn.createActivity(b -> b.name(name)).activityArn()).isEqualTo(created.activityArn());
        assertThat(sfn.describeActivity(b -> b.activityArn(created.activityArn())).name()).isEqualTo(name);
        assertThat(sfn.listActivities().activities()).anyMatch(a -> a.name().equals(name));
        sfn.tagResource(b -> b.resourceArn(created.activityArn()).tags(t -> t.key("stage").value("local")));
        assertThat(sfn.listTagsForResource(b -> b.resourceArn(created.activityArn())).tags())
                .extracting(t -> t.key() + "=" + t.value()).containsExactly("team=orders", "stage=local");

        // no task yet: the poll answers without one once its time is up
        Instant before = Instant.now();
        assertThat(sfn.getActivityTask(b -> b.activityArn(created.activityArn())).taskToken()).isNull();
        assertThat(Duration.between(before, Instant.now())).isGreaterThanOrEqualTo(Duration.ofMillis(250));

        var definition = """
                {"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"%s","TimeoutSeconds":30,
                  "HeartbeatSeconds":10,"Parameters":{"n.$":"$.n"},"End":true}}}""".formatted(created.activityArn());
        var arn = sfn.startExecution(b -> b.stateMachineArn(machine(definition)).input("{\"n\":7}")).executionArn();

        var task = sfn.getActivityTask(b -> b.activityArn(created.activityArn()).workerName("worker-1"));
        assertThat(Json.mapper().readTree(task.input())).isEqualTo(Json.mapper().readTree("{\"n\":7}"));
        awaitEvent(arn, "ActivityStarted");
        sfn.sendTaskHeartbeat(b -> b.taskToken(task.taskToken()));
        sfn.sendTaskSuccess(b -> b.taskToken(task.taskToken()).output("{\"doubled\":14}"));

        var ended = awaitEnd(sfn, arn);
        assertThat(ended.output()).isEqualTo("{\"doubled\":14}");
        var events = history(arn);
        assertThat(events.stream().map(HistoryEvent::typeAsString).toList()).containsExactly("ExecutionStarted",
                "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited",
                "ExecutionSucceeded");
        var scheduled = events.get(2).activityScheduledEventDetails();
        assertThat(scheduled.resource()).isEqualTo(created.activityArn());
        assertThat(scheduled.timeoutInSeconds()).isEqualTo(30L);
        assertThat(scheduled.heartbeatInSeconds()).isEqualTo(10L);
        assertThat(events.get(3).activityStartedEventDetails().workerName()).isEqualTo("worker-1");

        sfn.deleteActivity(b -> b.activityArn(created.activityArn()));
        assertThatThrownBy(() -> sfn.describeActivity(b -> b.activityArn(created.activityArn())))
                .isInstanceOf(ActivityDoesNotExistException.class);
    }

    @Test
    void activityTaskNobodyTakes_timesOutAsActivityTimedOut() throws Exception {
        var activity = sfn.createActivity(b -> b.name(unique("idle"))).activityArn();
        var arn = sfn.startExecution(b -> b.stateMachineArn(machine("""
                {"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"%s","TimeoutSeconds":1,"End":true}}}"""
                .formatted(activity)))).executionArn();

        var ended = awaitEnd(sfn, arn);

        assertThat(ended.error()).isEqualTo("States.Timeout");
        assertThat(types(arn)).contains("ActivityScheduled", "ActivityTimedOut").doesNotContain("ActivityStarted");
        // and a worker polling afterwards finds no stale task
        assertThat(sfn.getActivityTask(b -> b.activityArn(activity)).taskToken()).isNull();
    }

    @Test
    void manyExecutionsWaitingOnTokens_holdNoPlatformThreadEach() throws Exception {
        var machine = machine(callback("\"TimeoutSeconds\":120,"));
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        int before = threads.getThreadCount();
        var arns = new java.util.ArrayList<String>();
        for (int i = 0; i < 300; i++) {
            int n = i;
            arns.add(sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"order\":\"w-" + n + "\"}"))
                    .executionArn());
        }
        var tokens = new java.util.ArrayList<String>();
        for (int i = 0; i < arns.size(); i++) {
            tokens.add(tokenOfNextNotification());
        }
        for (var arn : arns) {
            awaitEvent(arn, "TaskSubmitted");
        }

        // 300 waits, and the JVM's platform threads (virtual threads are not counted) barely moved
        assertThat(threads.getThreadCount() - before).isLessThan(16);

        for (var token : tokens) {
            sfn.sendTaskSuccess(b -> b.taskToken(token).output("true"));
        }
        for (var arn : arns) {
            assertThat(awaitEnd(sfn, arn).statusAsString()).isEqualTo("SUCCEEDED");
        }
    }

    @Test
    void stopExecution_whileWaiting_endsTheWait_soTheTokenIsAnsweredAsTimedOut() throws Exception {
        var arn = sfn.startExecution(b -> b.stateMachineArn(machine(callback(""))).input("{\"order\":\"o-5\"}"))
                .executionArn();
        String token = tokenOfNextNotification();
        awaitEvent(arn, "TaskSubmitted");

        sfn.stopExecution(b -> b.executionArn(arn).error("Operator").cause("cancelled"));

        assertThat(awaitEnd(sfn, arn).statusAsString()).isEqualTo("ABORTED");
        assertThatThrownBy(() -> sfn.sendTaskSuccess(b -> b.taskToken(token).output("{}")))
                .isInstanceOf(TaskTimedOutException.class);
    }

    @Test
    void expressMachinesAndTestState_refuseTasksThatWaitForAWorker_asAwsDoes() {
        var activity = sfn.createActivity(b -> b.name(unique("express"))).activityArn();

        assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name(unique("express")).type("EXPRESS")
                .definition(callback("")).roleArn(ROLE)))
                .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("'.waitForTaskToken'")
                .hasMessageContaining("/States/Ask/Resource");
        var express = sfn.createStateMachine(b -> b.name(unique("express")).type("EXPRESS")
                .definition(StepFunctionsServerTest.PASS).roleArn(ROLE)).stateMachineArn();
        var withActivity = "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Task\",\"Resource\":\"" + activity
                + "\",\"End\":true}}}";
        assertThatThrownBy(() -> sfn.updateStateMachine(b -> b.stateMachineArn(express).definition(withActivity)))
                .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("activities");
        try (var syncClient = ExpressExecutionTest.client(server)) {
            assertThatThrownBy(() -> syncClient.testState(b -> b.definition("""
                    {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                     "Parameters":{"FunctionName":"notify"},"End":true}""").roleArn(ROLE)))
                    .isInstanceOf(SfnException.class).hasMessageContaining("waits for a task token");
        }
    }
}
