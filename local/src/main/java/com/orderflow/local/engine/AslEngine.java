package com.orderflow.local.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;

/**
 * Interprets Amazon States Language definitions (JSONPath query language). Executions run
 * concurrently without a platform thread per waiting execution.
 */
public final class AslEngine implements AutoCloseable {

    public AslEngine() {
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
        throw new UnsupportedOperationException("engine: not implemented yet");
    }

    @Override
    public void close() {
    }
}
