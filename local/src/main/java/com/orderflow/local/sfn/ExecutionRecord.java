package com.orderflow.local.sfn;

import com.orderflow.local.engine.Execution;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.HistoryEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What the API knows about one execution: its identity and input, its history as the engine
 * records it, and how it ended. Thread-safe; a journal can rebuild one from its fields alone.
 */
public final class ExecutionRecord {

    private final String executionArn;
    private final String name;
    private final String stateMachineArn;
    private final String stateMachineName;
    private final String input;
    private final Instant startDate;

    private final List<HistoryEvent> history = new ArrayList<>();
    private ExecutionStatus status = ExecutionStatus.RUNNING;
    private String output;
    private String error;
    private String cause;
    private Instant stopDate;
    private Execution running;

    public ExecutionRecord(String executionArn, String name, String stateMachineArn, String stateMachineName,
                           String input, Instant startDate) {
        this.executionArn = executionArn;
        this.name = name;
        this.stateMachineArn = stateMachineArn;
        this.stateMachineName = stateMachineName;
        this.input = input;
        this.startDate = startDate;
    }

    public String executionArn() {
        return executionArn;
    }

    public String name() {
        return name;
    }

    public String stateMachineArn() {
        return stateMachineArn;
    }

    public String stateMachineName() {
        return stateMachineName;
    }

    /** The execution input exactly as StartExecution received it. */
    public String input() {
        return input;
    }

    public Instant startDate() {
        return startDate;
    }

    public synchronized ExecutionStatus status() {
        return status;
    }

    /** The output JSON text of a SUCCEEDED execution, else {@code null}. */
    public synchronized String output() {
        return output;
    }

    public synchronized String error() {
        return error;
    }

    public synchronized String cause() {
        return cause;
    }

    public synchronized Instant stopDate() {
        return stopDate;
    }

    /** A copy of the history so far, in the order the engine recorded it. */
    public synchronized List<HistoryEvent> history() {
        return List.copyOf(history);
    }

    /** The engine's handle while this process runs it; {@code null} for a record read back from a journal. */
    public synchronized Execution running() {
        return running;
    }

    synchronized void attach(Execution execution) {
        this.running = execution;
    }

    /** Appends one history event (the engine's listener calls this). */
    public synchronized void append(HistoryEvent event) {
        history.add(event);
    }

    /**
     * Records how the execution ended; only the first call counts.
     *
     * @return whether this call ended it
     */
    public synchronized boolean finish(ExecutionOutcome outcome, Instant at) {
        if (status != ExecutionStatus.RUNNING) {
            return false;
        }
        status = outcome.status();
        stopDate = at;
        switch (outcome) {
            case ExecutionOutcome.Succeeded s -> output = s.output() == null ? "null" : s.output().toString();
            case ExecutionOutcome.Failed f -> {
                error = f.error();
                cause = f.cause();
            }
            case ExecutionOutcome.TimedOut t -> {
                error = t.error();
                cause = t.cause();
            }
            case ExecutionOutcome.Aborted a -> {
                error = a.error();
                cause = a.cause();
            }
        }
        return true;
    }
}
