package com.orderflow.local.engine;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A running or finished execution of a definition. Thread-safe. */
public interface Execution {

    ExecutionIdentity identity();

    ExecutionStatus status();

    /** Completes once, when the execution ends, with how it ended. */
    CompletableFuture<ExecutionOutcome> completion();

    /** A snapshot of the event history so far, in id order. */
    List<HistoryEvent> history();

    /** Aborts a running execution (StopExecution); no effect once it has ended. */
    void stop(String error, String cause);
}
