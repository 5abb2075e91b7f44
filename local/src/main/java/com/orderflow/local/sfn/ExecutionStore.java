package com.orderflow.local.sfn;

import com.orderflow.local.engine.HistoryEvent;
import java.util.List;
import java.util.Optional;

/**
 * Where the API keeps executions. The in-memory store is the default; a journal that survives
 * restarts implements the same interface and persists on {@link #appended} and {@link #ended}.
 */
public interface ExecutionStore {

    /** Adds the execution unless one with its ARN exists; returns the existing one, or {@code null} if added. */
    ExecutionRecord putIfAbsent(ExecutionRecord execution);

    Optional<ExecutionRecord> find(String executionArn);

    /** The executions of one state machine, newest first. */
    List<ExecutionRecord> list(String stateMachineArn);

    /** Called after a history event was appended to a stored execution. */
    default void appended(ExecutionRecord execution, HistoryEvent event) {
    }

    /** Called once after a stored execution ended. */
    default void ended(ExecutionRecord execution) {
    }
}
