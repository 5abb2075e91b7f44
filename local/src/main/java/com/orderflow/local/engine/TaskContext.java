package com.orderflow.local.engine;

/** What a task invocation knows about where it runs: execution, state and retry attempt. */
public record TaskContext(
        String executionArn,
        String executionName,
        String stateMachineArn,
        String stateName,
        int retryCount,
        Integer timeoutSeconds) {
}
