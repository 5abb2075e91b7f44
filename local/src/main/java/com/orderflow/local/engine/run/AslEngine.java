package com.orderflow.local.engine.run;

import com.orderflow.local.engine.EngineClock;
import com.orderflow.local.engine.Execution;
import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.HistoryRecorder;
import com.orderflow.local.engine.HistoryUnavailableException;
import com.orderflow.local.engine.MapRunHost;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.engine.definition.StateMachineDefinition;
import com.orderflow.local.engine.expr.JsonText;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Interprets Amazon States Language definitions (JSONPath query language). Executions run
 * concurrently without a platform thread per waiting execution.
 */
public final class AslEngine implements AutoCloseable {

    private final EngineClock clock;
    private final Set<ExecutionRun> running = ConcurrentHashMap.newKeySet();
    /** A resumed execution may be answered before it has found its waiting task again: the answer waits for it. */
    private final Callbacks callbacks = new Callbacks(executionArn -> running.stream()
            .anyMatch(run -> run.identity.executionArn().equals(executionArn) && !run.replayDone()));

    /** An engine on wall-clock time. */
    public AslEngine() {
        this(EngineClock.system());
    }

    /** An engine on the given clock, e.g. {@link EngineClock#accelerated(double)} for fast tests. */
    public AslEngine(EngineClock clock) {
        this(clock, MapRunHost.NONE);
    }

    /** An engine on the given clock whose Distributed Maps run their children with {@code mapRuns}. */
    public AslEngine(EngineClock clock, MapRunHost mapRuns) {
        this.clock = clock;
        this.mapRuns = mapRuns;
    }

    private final MapRunHost mapRuns;

    /** How long StartExecution waits for its first event to be durable before it gives up. */
    private static final Duration DURABLE_START = Duration.ofSeconds(10);
    private final DurableStarts durableStarts = new DurableStarts(DURABLE_START);

    /**
     * Starts one execution and returns once its ExecutionStarted event is durable.
     *
     * @param definition a parsed definition
     * @param identity   execution and state machine names/ARNs for the context object
     * @param input      the execution input (a JSON value)
     * @param tasks      runs each Task state's Resource for this execution
     * @param recorder   takes every history event as it is recorded, in id order
     * @throws HistoryUnavailableException when the recorder cannot make the start durable
     */
    public Execution start(StateMachineDefinition definition, ExecutionIdentity identity, JsonNode input,
                           TaskInvoker tasks, HistoryRecorder recorder) {
        var run = new ExecutionRun(definition.compiled(), identity, input, tasks, recorder, clock, running::remove,
                List.of(), callbacks, mapRuns);
        return launch(run, () -> run.begin(durableStarts));
    }

    /** Starts one execution whose events only a listener sees (tests, benchmarks). */
    public Execution start(StateMachineDefinition definition, ExecutionIdentity identity, JsonNode input,
                           TaskInvoker tasks, Consumer<HistoryEvent> listener) {
        return start(definition, identity, input, tasks, (event, onDurable) -> {
            listener.accept(event);
            if (onDurable != null) {
                onDurable.run();
            }
        });
    }

    /**
     * Carries on an execution that was running when the process stopped, from its recorded history (ids 1..n,
     * starting with ExecutionStarted): states that completed are not run again, a Task in flight is invoked
     * again, Wait and retry deadlines and timeouts keep counting from when they began.
     */
    public Execution resume(StateMachineDefinition definition, ExecutionIdentity identity, List<HistoryEvent> recorded,
                            TaskInvoker tasks, HistoryRecorder recorder) {
        if (recorded.isEmpty() || !recorded.getFirst().type().equals("ExecutionStarted")) {
            throw new IllegalArgumentException("a resumed history begins with ExecutionStarted");
        }
        var run = new ExecutionRun(definition.compiled(), identity, inputOf(recorded), tasks, recorder, clock, running::remove,
                recorded, callbacks, mapRuns);
        running.add(run);
        run.resume();
        return run;
    }

    /** The tasks waiting for workers' answers (SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat, GetActivityTask). */
    public Callbacks callbacks() {
        return callbacks;
    }

    /**
     * Redrives an execution that ended FAILED, TIMED_OUT or ABORTED (RedriveExecution): records ExecutionRedriven
     * after its closing event and returns once that is durable; the execution then runs again from the states that
     * did not complete, with the same input and definition, and completed states are not run again.
     *
     * @param recorded its durable history, ids 1..n, ending with its closing event
     * @throws HistoryUnavailableException when the recorder cannot make the redrive durable
     */
    public Execution redrive(StateMachineDefinition definition, ExecutionIdentity identity, List<HistoryEvent> recorded,
                             TaskInvoker tasks, HistoryRecorder recorder) {
        var closing = recorded.getLast();
        if (!Set.of("ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted").contains(closing.type())) {
            throw new IllegalArgumentException("only a failed, timed out or aborted execution is redriven");
        }
        var details = JsonText.NODES.objectNode();
        details.putObject("executionRedrivenEventDetails").put("redriveCount", RedrivePlan.redriveCount(recorded) + 1);
        var withRedrive = new java.util.ArrayList<>(recorded);
        withRedrive.add(new HistoryEvent(closing.id() + 1, closing.id(), clock.now(), RedrivePlan.REDRIVEN, details));
        var run = new ExecutionRun(definition.compiled(), identity, inputOf(recorded), tasks, recorder, clock,
                running::remove, withRedrive, callbacks, mapRuns);
        return launch(run, () -> run.redrive(durableStarts));
    }

    /**
     * Registers {@code run} and takes its first, durable step (its start or its redrive). When that step fails the
     * run is forgotten, unless records it queued are still on their way to the disk (they finish it).
     */
    private Execution launch(ExecutionRun run, Runnable durableStep) {
        running.add(run);
        try {
            durableStep.run();
        } catch (HistoryUnavailableException e) {
            if (e.pending().isEmpty()) {
                running.remove(run);
            }
            throw e;
        } catch (RuntimeException e) {
            running.remove(run);
            throw e;
        }
        return run;
    }

    private static JsonNode inputOf(List<HistoryEvent> recorded) {
        return JsonText.readValue(recorded.getFirst().details().path("executionStartedEventDetails")
                .path("input").asText("{}"));
    }

    /** The clock this engine runs on. */
    public EngineClock clock() {
        return clock;
    }

    /**
     * Stops every running execution where it is, recording nothing more: a durable store keeps them RUNNING,
     * to be resumed by the next engine on the same store.
     */
    @Override
    public void close() {
        for (ExecutionRun run : running) {
            run.suspend();
        }
        running.clear();
        durableStarts.close();
    }
}
