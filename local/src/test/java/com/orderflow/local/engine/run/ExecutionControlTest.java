package com.orderflow.local.engine.run;

import com.orderflow.local.engine.EngineClock;
import com.orderflow.local.engine.Execution;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.engine.definition.StateMachineDefinition;

import static com.orderflow.local.engine.run.EngineFixture.identity;
import static com.orderflow.local.engine.run.EngineFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExecutionControlTest {

    /** A clock whose sleeps return at once and only move its virtual time forward, recording each delay. */
    static final class RecordingClock implements EngineClock {
        final List<Duration> sleeps = new CopyOnWriteArrayList<>();
        private volatile Instant now = Instant.parse("2024-01-01T00:00:00Z");

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public long realNanos(Duration engineTime) {
            return engineTime.toNanos();
        }

        @Override
        public void sleep(Duration engineTime) {
            sleeps.add(engineTime);
            now = now.plus(engineTime);
        }
    }

    private static ExecutionOutcome await(Execution e) throws Exception {
        return e.completion().get(30, TimeUnit.SECONDS);
    }

    @Test
    void retry_waitsIntervalTimesBackoffPowers_cappedByMaxDelay() throws Exception {
        var clock = new RecordingClock();
        var def = StateMachineDefinition.parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                  "Retry":[{"ErrorEquals":["E"],"IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":4,"MaxDelaySeconds":30}]}}}""");
        try (var engine = new AslEngine(clock)) {
            var outcome = await(engine.start(def, identity("r"), json("{}"), (r, in, c) -> {
                throw new TaskFailedException("E", "attempt " + c.retryCount());
            }, e -> { }));
            assertThat(outcome).isEqualTo(new ExecutionOutcome.Failed("E", "attempt 4"));
        }
        assertThat(clock.sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(6), Duration.ofSeconds(18),
                Duration.ofSeconds(30));
    }

    @Test
    void retry_defaultsAreOneSecondThreeAttemptsBackoffTwo() throws Exception {
        var clock = new RecordingClock();
        var def = StateMachineDefinition.parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                  "Retry":[{"ErrorEquals":["States.TaskFailed"]}]}}}""");
        try (var engine = new AslEngine(clock)) {
            await(engine.start(def, identity("r"), json("{}"), (r, in, c) -> {
                throw new TaskFailedException("Any", "x");
            }, e -> { }));
        }
        assertThat(clock.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void fullJitter_keepsEachDelayWithinTheComputedInterval() throws Exception {
        var clock = new RecordingClock();
        var def = StateMachineDefinition.parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                  "Retry":[{"ErrorEquals":["E"],"IntervalSeconds":10,"MaxAttempts":5,"JitterStrategy":"FULL"}]}}}""");
        try (var engine = new AslEngine(clock)) {
            await(engine.start(def, identity("r"), json("{}"), (r, in, c) -> {
                throw new TaskFailedException("E", "x");
            }, e -> { }));
        }
        assertThat(clock.sleeps).hasSize(5);
        for (int i = 0; i < 5; i++) {
            assertThat(clock.sleeps.get(i)).isLessThanOrEqualTo(Duration.ofSeconds(10L << i));
        }
        assertThat(clock.sleeps).doesNotContainSequence(List.of(Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(40), Duration.ofSeconds(80), Duration.ofSeconds(160)));
    }

    @Test
    void taskTimeout_firesWhileTheInvokerBlocks_andTaskFailedDoesNotCatchIt() throws Exception {
        var def = StateMachineDefinition.parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f",
                  "TimeoutSeconds":5,"Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"Caught"}],"End":true},
                  "Caught":{"Type":"Succeed"}}}""");
        var released = new CountDownLatch(1);
        try (var engine = new AslEngine(EngineClock.accelerated(100))) {
            var execution = engine.start(def, identity("t"), json("{}"), (r, in, c) -> {
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return in;
            }, e -> { });
            var outcome = await(execution);
            assertThat(outcome).isEqualTo(new ExecutionOutcome.Failed("States.Timeout", ""));
            assertThat(execution.history().stream().map(HistoryEvent::type))
                    .contains("LambdaFunctionTimedOut").last().isEqualTo("ExecutionFailed");
        } finally {
            released.countDown();
        }
    }

    @Test
    void stop_abortsAWaitingExecution() throws Exception {
        var def = StateMachineDefinition.parse("""
                {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}""");
        try (var engine = new AslEngine()) {
            var execution = engine.start(def, identity("s"), json("{}"), (r, in, c) -> in, e -> { });
            while (execution.history().size() < 2) {
                Thread.onSpinWait();
            }
            execution.stop("Stopped", "by test");
            assertThat(await(execution)).isEqualTo(new ExecutionOutcome.Aborted("Stopped", "by test"));
            assertThat(execution.status()).isEqualTo(ExecutionStatus.ABORTED);
            assertThat(execution.history().getLast().type()).isEqualTo("ExecutionAborted");
            execution.stop("Again", "ignored");
            assertThat(execution.history().getLast().type()).isEqualTo("ExecutionAborted");
        }
    }

    @Test
    void definitionTimeout_endsTheExecutionTimedOut() throws Exception {
        var def = StateMachineDefinition.parse("""
                {"TimeoutSeconds":2,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}""");
        try (var engine = new AslEngine(EngineClock.accelerated(50))) {
            var execution = engine.start(def, identity("to"), json("{}"), (r, in, c) -> in, e -> { });
            assertThat(await(execution)).isInstanceOf(ExecutionOutcome.TimedOut.class);
            assertThat(execution.history().getLast().type()).isEqualTo("ExecutionTimedOut");
        }
    }

    @Test
    void statesRuntime_isNotCaughtByStatesAll() throws Exception {
        var r = EngineFixture.run("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                  "OutputPath":"$.missing","Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}],"End":true},
                  "C":{"Type":"Succeed"}}}""", "{}");
        assertThat(r.failed().error()).isEqualTo("States.Runtime");
        assertThat(r.failed().cause()).isEqualTo("An error occurred while executing the state 'T' (entered at the "
                + "event id #2). Invalid path '$.missing' : No results for path: $['missing']");
    }

    @Test
    void oversizedTaskResult_isATaskFailureCatchableByName() {
        var r = EngineFixture.run("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,
                  "Catch":[{"ErrorEquals":["States.DataLimitExceeded"],"Next":"C"}]},"C":{"Type":"Pass","End":true}}}""",
                "{}", (res, in, c) -> json("\"" + "x".repeat(300_000) + "\""));
        assertThat(r.output().get("Error").asText()).isEqualTo("States.DataLimitExceeded");
        assertThat(r.types()).contains("TaskFailed");
    }

    @Test
    void oversizedStateOutput_failsTheExecutionDespiteCatchAll() {
        var r = EngineFixture.run("""
                {"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"big.$":"$.s","again.$":"$.s"},"End":true}}}""",
                "{\"s\":\"" + "x".repeat(140_000) + "\"}");
        assertThat(r.failed().error()).isEqualTo("States.DataLimitExceeded");
    }

    @Test
    void contextObject_exposesExecutionStateAndMachine() {
        var r = EngineFixture.run("""
                {"StartAt":"Ctx","States":{"Ctx":{"Type":"Pass","Parameters":{
                  "id.$":"$$.Execution.Id","name.$":"$$.Execution.Name","in.$":"$$.Execution.Input",
                  "start.$":"$$.Execution.StartTime","state.$":"$$.State.Name","retry.$":"$$.State.RetryCount",
                  "sm.$":"$$.StateMachine.Name"},"End":true}}}""", "{\"k\":1}");
        assertThat(r.output()).isEqualTo(json("""
                {"id":"arn:aws:states:us-east-1:000000000000:execution:sm:e1","name":"e1","in":{"k":1},
                 "start":"2024-01-02T03:04:05.678Z","state":"Ctx","retry":0,"sm":"sm"}"""));
    }

    @Test
    void previousEventIds_followEachBranchOfAParallel() {
        var r = EngineFixture.run("""
                {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
                  {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}}}""", "{}");
        var started = r.history().stream().filter(e -> e.type().equals("ParallelStateStarted")).findFirst().orElseThrow();
        assertThat(r.history().stream().filter(e -> e.type().equals("PassStateEntered")))
                .allSatisfy(e -> assertThat(e.previousEventId()).isEqualTo(started.id()));
        for (int i = 0; i < r.history().size(); i++) {
            assertThat(r.history().get(i).id()).isEqualTo(i + 1);
        }
    }

    @Test
    void tenThousandExecutionsSleepingInWaitsAndRetryBackoff_holdNoPlatformThreads() throws Exception {
        var waiting = StateMachineDefinition.parse("""
                {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}""");
        var backingOff = StateMachineDefinition.parse("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:f",
                  "End":true,"Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":3600,"MaxAttempts":2}]}}}""");
        TaskInvoker failing = (r, in, c) -> {
            throw new TaskFailedException("Boom", "fails");
        };
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        int before = threads.getThreadCount();
        var executions = new java.util.ArrayList<Execution>();
        try (var engine = new AslEngine()) {
            for (int i = 0; i < 10_000; i++) {
                executions.add(i % 2 == 0
                        ? engine.start(waiting, identity("w" + i), json("{}"), (r, in, c) -> in, e -> { })
                        : engine.start(backingOff, identity("r" + i), json("{}"), failing, e -> { }));
            }
            for (int i = 0; i < executions.size(); i++) {
                String sleepsAfter = i % 2 == 0 ? "WaitStateEntered" : "LambdaFunctionFailed";
                var e = executions.get(i);
                while (!e.history().getLast().type().equals(sleepsAfter)) {
                    Thread.sleep(1);
                }
            }
            assertThat(executions).allSatisfy(e -> assertThat(e.status()).isEqualTo(ExecutionStatus.RUNNING));
            assertThat(threads.getThreadCount() - before).isLessThan(100);
        }
        // closing the engine records nothing: a durable store would resume them all
        assertThat(executions).allSatisfy(e -> assertThat(e.completion()).isNotDone());
    }

    @Test
    void stop_interruptsTasksBlockedInParallelBranches() throws Exception {
        var def = StateMachineDefinition.parse("""
                {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}},
                  {"StartAt":"B","States":{"B":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}]}}}""");
        var started = new CountDownLatch(2);
        var interrupted = new CountDownLatch(2);
        try (var engine = new AslEngine()) {
            var execution = engine.start(def, identity("p"), json("{}"), (r, in, c) -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
                return in;
            }, e -> { });
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
            execution.stop("Stop", "now");
            assertThat(await(execution)).isEqualTo(new ExecutionOutcome.Aborted("Stop", "now"));
            assertThat(interrupted.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(execution.history().getLast().type()).isEqualTo("ExecutionAborted");
        }
    }

    @Test
    void mapWithMaxConcurrencyOne_processesItemsInOrder() {
        var seen = new CopyOnWriteArrayList<Integer>();
        var r = EngineFixture.run("""
                {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"End":true,"ItemProcessor":{
                  "StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}}}}}""",
                "[0,1,2,3,4,5,6,7,8,9]", (res, in, c) -> {
                    seen.add(in.intValue());
                    return in;
                });
        assertThat(seen).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(r.output()).isEqualTo(json("[0,1,2,3,4,5,6,7,8,9]"));
    }

    @Test
    void failingMapIteration_failsTheMapWithTheIterationsError() {
        var r = EngineFixture.run("""
                {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{
                  "StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":2,"Next":"F"}],
                    "Default":"OK"},"F":{"Type":"Fail","Error":"Two","Cause":"item two"},"OK":{"Type":"Succeed"}}}}}}""",
                "[1,2,3]");
        assertThat(r.failed()).isEqualTo(new ExecutionOutcome.Failed("Two", "item two"));
        assertThat(r.types()).contains("MapIterationFailed", "MapStateFailed");
    }
}
