package com.orderflow.local.engine.run;

import com.orderflow.local.engine.EngineClock;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.HistoryRecorder;
import com.orderflow.local.engine.TaskContext;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.engine.definition.StateMachineDefinition;

import static com.orderflow.local.engine.run.EngineFixture.identity;
import static com.orderflow.local.engine.run.EngineFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Resuming from every prefix of a recorded history ends as the uninterrupted run did: same output,
 * same state entries and exits, and no task that had finished is invoked again.
 */
class ResumeTest {

    private static final String WORKFLOW = """
            {"StartAt":"Prepare","States":{
              "Prepare":{"Type":"Pass","Parameters":{"id.$":"$.id","items.$":"$.items"},"Next":"Check"},
              "Check":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:check:live",
                "ResultPath":"$.check","Next":"Fork",
                "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":1,"MaxAttempts":3,"BackoffRate":2,"JitterStrategy":"FULL"}]},
              "Fork":{"Type":"Parallel","ResultPath":"$.branches","Next":"Each","Branches":[
                {"StartAt":"Left","States":{"Left":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:left:live","End":true}}},
                {"StartAt":"Right","States":{"Right":{"Type":"Pass","Result":{"side":"right"},"Next":"Nap"},
                  "Nap":{"Type":"Wait","Seconds":2,"End":true}}}]},
              "Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,"ResultPath":"$.each","Next":"Done",
                "ItemProcessor":{"StartAt":"Double","States":{
                  "Double":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:double:live","End":true}}}},
              "Done":{"Type":"Succeed"}}}""";

    /** Deterministic tasks that count their invocations; "check" fails twice with Flaky first. */
    static final class CountingTasks implements TaskInvoker {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        @Override
        public com.fasterxml.jackson.databind.JsonNode invoke(String resource, com.fasterxml.jackson.databind.JsonNode in,
                                                              TaskContext context) throws TaskFailedException {
            String fn = resource.split(":")[6];
            int n = calls.computeIfAbsent(fn, k -> new AtomicInteger()).incrementAndGet();
            return switch (fn) {
                case "check" -> {
                    if (context.retryCount() < 2) {
                        throw new TaskFailedException("Flaky", "attempt " + context.retryCount());
                    }
                    yield json("{\"ok\":true}");
                }
                case "left" -> json("{\"side\":\"left\"}");
                default -> json(String.valueOf(in.asInt() * 2));
            };
        }
    }

    private static final AslEngine ENGINE = new AslEngine(EngineClock.accelerated(50));

    @Test
    void resumeFromEveryPrefix_endsWithTheSameOutputAndTheSameStateSequence() throws Exception {
        var definition = StateMachineDefinition.parse(WORKFLOW);
        var input = json("{\"id\":\"o1\",\"items\":[1,2,3]}");
        var baseline = new CountingTasks();
        var full = ENGINE.start(definition, identity("full"), input, baseline, e -> { });
        var outcome = full.completion().get(30, TimeUnit.SECONDS);
        List<HistoryEvent> history = full.history();
        assertThat(outcome).isInstanceOf(ExecutionOutcome.Succeeded.class);

        for (int k = 1; k < history.size(); k++) {
            var prefix = history.subList(0, k);
            var tasks = new CountingTasks();
            var resumed = ENGINE.resume(definition, identity("full"), new ArrayList<>(prefix), tasks, HistoryRecorder.IN_MEMORY);
            var again = resumed.completion().get(30, TimeUnit.SECONDS);
            var replayed = resumed.history();

            assertThat(again).as("outcome after resuming from %d events", k).isEqualTo(outcome);
            assertThat(stateSequence(replayed)).as("states after resuming from %d events", k)
                    .isEqualTo(stateSequence(history));
            assertThat(replayed.subList(0, k)).isEqualTo(prefix);
            for (int i = 0; i < replayed.size(); i++) {
                assertThat(replayed.get(i).id()).isEqualTo(i + 1);
            }
            // a task whose end was recorded is not invoked again
            long doubledBefore = prefix.stream().filter(e -> e.type().equals("LambdaFunctionSucceeded")).count();
            int invocations = tasks.calls.values().stream().mapToInt(AtomicInteger::get).sum();
            int baselineInvocations = baseline.calls.values().stream().mapToInt(AtomicInteger::get).sum();
            long failedBefore = prefix.stream().filter(e -> e.type().equals("LambdaFunctionFailed")).count();
            assertThat(invocations).as("invocations after resuming from %d events", k)
                    .isLessThanOrEqualTo((int) (baselineInvocations - doubledBefore - failedBefore) + 2);
        }
    }

    /** Entered and exited states in the order each thread of control saw them (branches sorted). */
    static List<String> stateSequence(List<HistoryEvent> history) {
        return history.stream()
                .filter(e -> e.type().endsWith("StateEntered") || e.type().endsWith("StateExited"))
                .map(e -> e.type() + ":" + e.details().elements().next().path("name").asText())
                .sorted()
                .toList();
    }
}
