package com.orderflow.local.engine.run;

import static com.orderflow.local.engine.run.EngineFixture.identity;
import static com.orderflow.local.engine.run.EngineFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.local.engine.EngineClock;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.HistoryRecorder;
import com.orderflow.local.engine.TaskContext;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.engine.definition.StateMachineDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Redriving a failed execution runs again only what did not complete: the failed state, the failed branch of a
 * Parallel, the failed iterations of a Map; states that completed keep their recorded output. A redriven history
 * resumes after a restart from any of its prefixes like any other.
 */
class RedriveTest {

    private static final String WORKFLOW = """
            {"StartAt":"Prepare","States":{
              "Prepare":{"Type":"Pass","Parameters":{"id.$":"$.id","items.$":"$.items","count.$":"$$.Execution.RedriveCount"},
                "Next":"Check"},
              "Check":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:check:live",
                "ResultPath":"$.check","Next":"Fork"},
              "Fork":{"Type":"Parallel","ResultPath":"$.branches","Next":"Each","Branches":[
                {"StartAt":"Left","States":{"Left":{"Type":"Task",
                  "Resource":"arn:aws:lambda:us-east-1:000000000000:function:left:live",
                  "Retry":[{"ErrorEquals":["Broken"],"IntervalSeconds":5,"MaxAttempts":1}],"End":true}}},
                {"StartAt":"Right","States":{"Right":{"Type":"Task",
                  "Resource":"arn:aws:lambda:us-east-1:000000000000:function:right:live","End":true}}}]},
              "Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,"ResultPath":"$.each","Next":"Done",
                "ItemProcessor":{"StartAt":"Double","States":{
                  "Double":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:double:live",
                    "Retry":[{"ErrorEquals":["Broken"],"IntervalSeconds":1,"MaxAttempts":1}],"End":true}}}},
              "Done":{"Type":"Pass","Parameters":{"redrives.$":"$$.Execution.RedriveCount","each.$":"$.each",
                "branches.$":"$.branches","prepared.$":"$.count"},"End":true}}}""";

    /** Tasks that count their invocations and fail with Broken for what is named in {@link #broken}. */
    static final class FixableTasks implements TaskInvoker {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        volatile Set<String> broken = Set.of();

        @Override
        public JsonNode invoke(String resource, JsonNode in, TaskContext context) throws TaskFailedException {
            String fn = resource.split(":")[6];
            String key = fn.equals("double") ? fn + in.asInt() : fn;
            calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            if (broken.contains(key)) {
                throw new TaskFailedException("Broken", key + " is broken");
            }
            return fn.equals("double") ? json(String.valueOf(in.asInt() * 2)) : json("{\"by\":\"" + fn + "\"}");
        }

        int calls(String key) {
            var n = calls.get(key);
            return n == null ? 0 : n.get();
        }
    }

    private static final AslEngine ENGINE = new AslEngine(EngineClock.accelerated(50));
    private static final JsonNode INPUT = json("{\"id\":\"o1\",\"items\":[1,2,3]}");

    @Test
    void redrive_runsAgainOnlyTheFailedBranch_thenOnlyTheFailedIteration_andEndsAsAnUnbrokenRunWould() throws Exception {
        var definition = StateMachineDefinition.parse(WORKFLOW);
        var tasks = new FixableTasks();
        tasks.broken = Set.of("left", "double2");

        // given: the Parallel fails on its Left branch; Right succeeded
        var first = ENGINE.start(definition, identity("redriven"), INPUT, tasks, HistoryRecorder.IN_MEMORY);
        assertThat(first.completion().get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionOutcome.Failed.class);
        assertThat(tasks.calls("right")).isEqualTo(1);

        // when: Left is fixed and the execution redriven, the Map fails on item 2 (retried once)
        tasks.broken = Set.of("double2");
        var second = ENGINE.redrive(definition, identity("redriven"), first.history(), tasks, HistoryRecorder.IN_MEMORY);
        assertThat(second.completion().get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionOutcome.Failed.class);
        assertThat(tasks.calls("check")).isEqualTo(1);
        assertThat(tasks.calls("left")).isEqualTo(3);
        assertThat(tasks.calls("right")).as("the branch that succeeded is not run again").isEqualTo(1);
        assertThat(tasks.calls("double2")).isEqualTo(2);

        // and: item 2 fixed, a second redrive runs only item 2 again and succeeds
        tasks.broken = Set.of();
        var third = ENGINE.redrive(definition, identity("redriven"), second.history(), tasks, HistoryRecorder.IN_MEMORY);
        var outcome = third.completion().get(30, TimeUnit.SECONDS);

        // then
        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);
        var output = ((ExecutionOutcome.Succeeded) outcome).output();
        assertThat(output).isEqualTo(json("""
                {"redrives":2,"each":[2,4,6],"branches":[{"by":"left"},{"by":"right"}],"prepared":0}"""));
        assertThat(tasks.calls("double1")).isEqualTo(1);
        assertThat(tasks.calls("double3")).isEqualTo(1);
        assertThat(tasks.calls("double2")).isEqualTo(3);
        assertThat(tasks.calls("check")).isEqualTo(1);
        List<HistoryEvent> history = third.history();
        assertThat(history).filteredOn(e -> e.type().equals("ExecutionRedriven"))
                .extracting(e -> e.details().path("executionRedrivenEventDetails").path("redriveCount").asInt())
                .containsExactly(1, 2);
        assertThat(history.subList(0, second.history().size())).isEqualTo(second.history());
        assertThat(history.getLast().type()).isEqualTo("ExecutionSucceeded");
        // the states that completed were entered once in all: Prepare, Check, Right, Double for items 1 and 3
        assertThat(history).filteredOn(e -> e.type().equals("PassStateEntered")
                && e.details().path("stateEnteredEventDetails").path("name").asText().equals("Prepare")).hasSize(1);
    }

    @Test
    void aRedrivenHistory_resumesFromEveryPrefixAfterTheRedrive_toTheSameOutcome() throws Exception {
        var definition = StateMachineDefinition.parse(WORKFLOW);
        var tasks = new FixableTasks();
        tasks.broken = Set.of("left", "double2");
        var first = ENGINE.start(definition, identity("resumed"), INPUT, tasks, HistoryRecorder.IN_MEMORY);
        first.completion().get(30, TimeUnit.SECONDS);
        tasks.broken = Set.of();
        var redriven = ENGINE.redrive(definition, identity("resumed"), first.history(), tasks, HistoryRecorder.IN_MEMORY);
        var outcome = redriven.completion().get(30, TimeUnit.SECONDS);
        var history = redriven.history();
        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);

        int redriveAt = first.history().size() + 1;
        for (int k = redriveAt; k < history.size(); k++) {
            var prefix = new ArrayList<>(history.subList(0, k));
            var again = new FixableTasks();
            var resumed = ENGINE.resume(definition, identity("resumed"), prefix, again, HistoryRecorder.IN_MEMORY);

            assertThat(resumed.completion().get(30, TimeUnit.SECONDS)).as("after %d events", k).isEqualTo(outcome);
            assertThat(resumed.history().subList(0, k)).isEqualTo(prefix);
            assertThat(again.calls("right")).as("after %d events", k).isZero();
            assertThat(again.calls("check")).as("after %d events", k).isZero();
        }
    }

    @Test
    void aTimedOutExecution_isRedriven_withItsTimeoutCountingFromTheRedrive() throws Exception {
        // the fixture's executions started in 2024: a timeout counted from the start has long passed
        var definition = StateMachineDefinition.parse("""
                {"TimeoutSeconds":60,"StartAt":"Slow","States":{"Slow":{"Type":"Task",
                  "Resource":"arn:aws:lambda:us-east-1:000000000000:function:slow:live",
                  "Parameters":{"redrives.$":"$$.Execution.RedriveCount"},"End":true}}}""");
        TaskInvoker tasks = (resource, in, context) -> json("{\"redrives\":" + in.path("redrives").asInt() + "}");
        var first = ENGINE.start(definition, identity("late"), INPUT, tasks, HistoryRecorder.IN_MEMORY);
        assertThat(first.completion().get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionOutcome.TimedOut.class);

        var redriven = ENGINE.redrive(definition, identity("late"), first.history(), tasks, HistoryRecorder.IN_MEMORY);

        assertThat(redriven.completion().get(30, TimeUnit.SECONDS))
                .isEqualTo(new ExecutionOutcome.Succeeded(json("{\"redrives\":1}")));
    }

    @Test
    void onlyAnExecutionThatEnded_unsuccessfully_isRedriven() throws Exception {
        var definition = StateMachineDefinition.parse(WORKFLOW);
        var done = ENGINE.start(definition, identity("done"), INPUT, new FixableTasks(), HistoryRecorder.IN_MEMORY);
        done.completion().get(30, TimeUnit.SECONDS);

        assertThatThrownBy(() -> ENGINE.redrive(definition, identity("done"), done.history(), new FixableTasks(),
                HistoryRecorder.IN_MEMORY)).isInstanceOf(IllegalArgumentException.class);
    }
}
