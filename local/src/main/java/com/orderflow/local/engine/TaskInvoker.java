package com.orderflow.local.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs the work behind a Task state's {@code Resource}. The engine calls it with the effective
 * input (after InputPath and Parameters) and applies ResultSelector/ResultPath/OutputPath itself.
 * Implementations are wired in by configuration; the engine knows nothing of what they do.
 */
@FunctionalInterface
public interface TaskInvoker {

    /**
     * @param resource the state's Resource string, e.g. a Lambda alias ARN or
     *                 {@code arn:aws:states:::lambda:invoke}
     * @param input    the effective task input
     * @param context  the execution and state the task runs for
     * @return the raw task result
     * @throws TaskFailedException for a failure with an ASL error name and cause
     */
    JsonNode invoke(String resource, JsonNode input, TaskContext context) throws TaskFailedException;
}
