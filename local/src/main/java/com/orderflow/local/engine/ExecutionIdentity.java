package com.orderflow.local.engine;

import java.time.Instant;

/** What the context object's {@code $$.Execution} and {@code $$.StateMachine} report for one run. */
public record ExecutionIdentity(
        String executionArn,
        String name,
        String stateMachineArn,
        String stateMachineName,
        String roleArn,
        Instant startTime) {
}
