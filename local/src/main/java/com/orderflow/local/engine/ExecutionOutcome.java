package com.orderflow.local.engine;

import com.fasterxml.jackson.databind.JsonNode;

/** How an execution ended. */
public sealed interface ExecutionOutcome {

    ExecutionStatus status();

    /** Ended in a Succeed state or an End state; {@code output} is the execution output. */
    record Succeeded(JsonNode output) implements ExecutionOutcome {
        public ExecutionStatus status() {
            return ExecutionStatus.SUCCEEDED;
        }
    }

    /** An uncaught error or a Fail state. */
    record Failed(String error, String cause) implements ExecutionOutcome {
        public ExecutionStatus status() {
            return ExecutionStatus.FAILED;
        }
    }

    /** The definition's top-level TimeoutSeconds elapsed. */
    record TimedOut(String error, String cause) implements ExecutionOutcome {
        public ExecutionStatus status() {
            return ExecutionStatus.TIMED_OUT;
        }
    }

    /** StopExecution was called. */
    record Aborted(String error, String cause) implements ExecutionOutcome {
        public ExecutionStatus status() {
            return ExecutionStatus.ABORTED;
        }
    }
}
