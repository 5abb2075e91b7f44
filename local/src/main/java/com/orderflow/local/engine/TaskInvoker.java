package com.orderflow.local.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

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

    /**
     * Why this invoker cannot run a Task state with this Resource at all, so that a definition naming one is refused
     * when it is created rather than failing every execution; empty when it can. What a resource names need not
     * exist yet (a function deployed later fails at run time, as on AWS). By default every resource is runnable.
     */
    default Optional<String> whyNotRunnable(String resource) {
        return Optional.empty();
    }

    /**
     * Why a Task state cannot invoke this Resource with {@code .waitForTaskToken} here, so such a definition is refused
     * when it is created; empty when it can (the default).
     */
    default Optional<String> whyNoTaskToken(String resource) {
        return Optional.empty();
    }

    /**
     * Whether what this invoker answers for the state stands in for the worker's answer (a mock): a
     * {@code .waitForTaskToken} Task then takes it as its result at once instead of waiting for the token.
     */
    default boolean answersForWorker(String stateName) {
        return false;
    }
}
