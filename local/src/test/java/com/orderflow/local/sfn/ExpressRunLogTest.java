package com.orderflow.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.ExecutionOutcome;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The execution view's record of Express runs: what each run ended with, newest first, and never unbounded. */
class ExpressRunLogTest {

    private static final Instant START = Instant.parse("2026-12-07T10:00:00.250Z");

    private final ExpressRunLog log = new ExpressRunLog();

    private static ExecutionIdentity identity(String name) {
        return new ExecutionIdentity("arn:aws:states:us-east-1:000000000000:express:m:" + name + ":id", name,
                "arn:aws:states:us-east-1:000000000000:stateMachine:m", "m", null, START);
    }

    @Test
    void anAsyncRun_isRunningUntilItsOutcome_thenCarriesItsOutputAndStop() {
        var id = identity("a");
        log.started(id, "{\"n\":1}", "StartExecution");
        assertThat(log.find(id.executionArn()).orElseThrow().path("status").asText()).isEqualTo("RUNNING");

        log.ended(id.executionArn(), new ExecutionOutcome.Succeeded(Json.mapper().createObjectNode().put("n", 2)),
                START.plusMillis(40));

        var run = log.find(id.executionArn()).orElseThrow();
        assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.path("output").asText()).isEqualTo("{\"n\":2}");
        assertThat(run.path("input").asText()).isEqualTo("{\"n\":1}");
        assertThat(run.path("stopDate").decimalValue()).isEqualByComparingTo("1796637600.290");
        assertThat(run.has("billingDetails")).isFalse();
    }

    @Test
    void aSyncRun_keepsWhatStartSyncExecutionAnswered_evenWhenTheEngineTellsItsEndAfterwards() {
        var id = identity("s");
        log.started(id, "{}", "StartSyncExecution");
        ObjectNode answer = Json.mapper().createObjectNode().put("executionArn", id.executionArn())
                .put("status", "TIMED_OUT").put("error", "States.Timeout").put("stopDate", 1796637900.25);
        answer.putObject("billingDetails").put("billedDurationInMilliseconds", 300000).put("billedMemoryUsedInMB", 64);
        log.answered(answer);

        log.ended(id.executionArn(), new ExecutionOutcome.Aborted("States.Aborted", "stopped"), START.plusSeconds(301));

        var run = log.find(id.executionArn()).orElseThrow();
        assertThat(run.path("status").asText()).isEqualTo("TIMED_OUT");
        assertThat(run.path("error").asText()).isEqualTo("States.Timeout");
        assertThat(run.path("startedBy").asText()).isEqualTo("StartSyncExecution");
        assertThat(run.path("billingDetails").path("billedDurationInMilliseconds").asLong()).isEqualTo(300000);
    }

    @Test
    void theListing_isNewestFirst_withoutPayloads_andKeepsAtMostMaxRuns() {
        for (int i = 0; i < ExpressRunLog.MAX_RUNS + 5; i++) {
            log.started(identity("r" + i), "{\"i\":" + i + "}", "StartExecution");
        }

        var listed = log.listNewestFirst();

        assertThat(listed).hasSize(ExpressRunLog.MAX_RUNS);
        assertThat(listed.getFirst().path("name").asText()).isEqualTo("r" + (ExpressRunLog.MAX_RUNS + 4));
        assertThat(listed.getLast().path("name").asText()).isEqualTo("r5");
        assertThat(listed.getFirst().has("input")).isFalse();
        assertThat(log.find(identity("r4").executionArn())).as("the oldest went first").isEmpty();
    }

    @Test
    void payloadsPastTheBound_dropTheOldestRuns() {
        var big = "x".repeat((int) (ExpressRunLog.MAX_PAYLOAD_CHARS / 3));
        for (String name : new String[] {"one", "two", "three", "four"}) {
            log.started(identity(name), big, "StartExecution");
        }

        assertThat(log.listNewestFirst()).extracting(run -> run.path("name").asText())
                .containsExactly("four", "three", "two");
    }
}
