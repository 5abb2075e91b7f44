package com.orderflow.local.engine;

import com.fasterxml.jackson.databind.JsonNode;
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

    /** An engine on wall-clock time. */
    public AslEngine() {
        this(EngineClock.system());
    }

    /** An engine on the given clock, e.g. {@link EngineClock#accelerated(double)} for fast tests. */
    public AslEngine(EngineClock clock) {
        this.clock = clock;
    }

    /**
     * Starts one execution.
     *
     * @param definition a parsed definition
     * @param identity   execution and state machine names/ARNs for the context object
     * @param input      the execution input (a JSON value)
     * @param tasks      runs each Task state's Resource for this execution
     * @param listener   receives every history event as it is recorded, in order (may be a no-op)
     */
    public Execution start(StateMachineDefinition definition, ExecutionIdentity identity, JsonNode input,
                           TaskInvoker tasks, Consumer<HistoryEvent> listener) {
        var run = new ExecutionRun(definition.compiled(), identity, input, tasks, listener, clock, running::remove);
        running.add(run);
        run.begin();
        return run;
    }

    /** The clock this engine runs on. */
    public EngineClock clock() {
        return clock;
    }

    /** Aborts executions still running. */
    @Override
    public void close() {
        for (ExecutionRun run : running) {
            run.stop("States.Aborted", "The engine was shut down");
        }
    }
}
