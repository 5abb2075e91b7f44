package com.orderflow.local.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderflow.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * Executions waiting on task tokens (a {@code .waitForTaskToken} callback, an activity a worker has taken, and two
 * that wait for their heartbeat or overall deadline) when the engine's JVM is killed with SIGKILL: after the restart
 * the tokens handed out before are accepted, and the deadlines fall when they would have without the kill.
 */
class CallbacksAfterKillTest extends EngineKillTest {

    private static final String ROLE = "arn:aws:iam::000000000000:role/r";

    private static String callback(String limits) {
        return """
                {"StartAt":"Ask","States":{"Ask":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                  %s"Parameters":{"FunctionName":"notify","Payload":{"token.$":"$$.Task.Token"}},"ResultPath":"$.answer",
                  "Next":"After"},
                 "After":{"Type":"Pass","Parameters":{"answer.$":"$.answer","order.$":"$.order"},"End":true}}}"""
                .formatted(limits);
    }

    @Test
    void sigkillWhileWaitingOnTokens_tokensStillCountAndDeadlinesKeepTheirTimes() throws Exception {
        int port = startChild();
        String callback;
        String activityRun;
        String heartbeat;
        String timeout;
        String callbackToken;
        String activityToken;
        Instant lastBeat;
        try (var sfn = client(port)) {
            var activity = sfn.createActivity(b -> b.name("approve")).activityArn();
            callback = start(sfn, "callback", callback("\"TimeoutSeconds\":300,"));
            heartbeat = start(sfn, "heartbeat", callback("\"TimeoutSeconds\":300,\"HeartbeatSeconds\":6,"));
            timeout = start(sfn, "timeout", callback("\"TimeoutSeconds\":10,"));
            activityRun = start(sfn, "activity", """
                    {"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"%s","HeartbeatSeconds":200,
                      "Parameters":{"order.$":"$.order"},"End":true}}}""".formatted(activity));
            for (var arn : List.of(callback, heartbeat, timeout)) {
                awaitLast(sfn, arn, "TaskSubmitted");
            }
            var task = sfn.getActivityTask(b -> b.activityArn(activity).workerName("before-the-kill"));
            activityToken = task.taskToken();
            assertThat(Json.mapper().readTree(task.input()).path("order").asText()).isEqualTo("activity");
            awaitLast(sfn, activityRun, "ActivityStarted");
            callbackToken = token(sfn, callback);

            String beatToken = token(sfn, heartbeat);
            Thread.sleep(3_000); // a deadline counted from the task's start rather than the heartbeat falls 3 s early
            sfn.sendTaskHeartbeat(b -> b.taskToken(beatToken));
            lastBeat = Instant.now();
            Thread.sleep(2_000); // a deadline counted from the restart would fall seconds later than the true one
        }

        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(child.exitValue()).isEqualTo(137);
        port = startChild();

        try (var sfn = client(port)) {
            // the tokens handed out before the kill are the ones the resumed executions wait on
            sfn.sendTaskSuccess(b -> b.taskToken(callbackToken).output("{\"approved\":true}"));
            sfn.sendTaskSuccess(b -> b.taskToken(activityToken).output("{\"done\":\"after the restart\"}"));

            var callbackEnd = finished(sfn, callback);
            assertThat(callbackEnd.statusAsString()).isEqualTo("SUCCEEDED");
            assertThat(Json.mapper().readTree(callbackEnd.output())).isEqualTo(Json.mapper()
                    .readTree("{\"answer\":{\"approved\":true},\"order\":\"callback\"}"));
            assertThat(types(sfn, callback)).containsExactly("ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                    "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "PassStateEntered",
                    "PassStateExited", "ExecutionSucceeded");

            var activityEnd = finished(sfn, activityRun);
            assertThat(activityEnd.output()).isEqualTo("{\"done\":\"after the restart\"}");
            assertThat(types(sfn, activityRun)).containsExactly("ExecutionStarted", "TaskStateEntered",
                    "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded");

            // the heartbeat deadline counts from the heartbeat before the kill, the timeout from the task's start
            var beatEnd = finished(sfn, heartbeat);
            assertThat(beatEnd.error()).isEqualTo("States.HeartbeatTimeout");
            assertThat(Duration.between(lastBeat, event(sfn, heartbeat, "TaskTimedOut").timestamp()))
                    .isBetween(Duration.ofMillis(5_500), Duration.ofMillis(7_500));
            var timeoutEnd = finished(sfn, timeout);
            assertThat(timeoutEnd.error()).isEqualTo("States.Timeout");
            assertThat(Duration.between(event(sfn, timeout, "TaskStarted").timestamp(),
                    event(sfn, timeout, "TaskTimedOut").timestamp()))
                    .isBetween(Duration.ofMillis(9_900), Duration.ofMillis(11_500));
            for (var arn : List.of(callback, heartbeat, timeout)) {
                assertThat(types(sfn, arn).stream().filter(t -> t.equals("TaskSubmitted")).count())
                        .as("the notification was not sent again").isEqualTo(1);
            }
        }
    }

    private static String start(SfnClient sfn, String name, String definition) {
        var sm = sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE)).stateMachineArn();
        return sfn.startExecution(b -> b.stateMachineArn(sm).name("waiting").input("{\"order\":\"" + name + "\"}"))
                .executionArn();
    }

    /** The token the callback's notification carried, as its TaskScheduled event records it. */
    private static String token(SfnClient sfn, String arn) throws Exception {
        var parameters = event(sfn, arn, "TaskScheduled").taskScheduledEventDetails().parameters();
        return Json.mapper().readTree(parameters).path("Payload").path("token").asText();
    }

    private static HistoryEvent event(SfnClient sfn, String arn, String type) {
        return history(sfn, arn).stream().filter(e -> e.typeAsString().equals(type)).findFirst().orElseThrow();
    }

    private static void awaitLast(SfnClient sfn, String arn, String type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!types(sfn, arn).getLast().equals(type)) {
            assertThat(System.nanoTime()).as(arn + " waiting for " + type + ": " + types(sfn, arn)).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse finished(SfnClient sfn,
            String arn) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var d = sfn.describeExecution(b -> b.executionArn(arn));
            if (!d.statusAsString().equals("RUNNING")) {
                return d;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(arn + " did not finish; history " + types(sfn, arn));
    }

    private static List<HistoryEvent> history(SfnClient sfn, String arn) {
        return sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(1000)).events();
    }

    private static List<String> types(SfnClient sfn, String arn) {
        return history(sfn, arn).stream().map(HistoryEvent::typeAsString).toList();
    }
}
