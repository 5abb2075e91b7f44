package com.orderflow.local.sfn;

import com.orderflow.local.engine.definition.StateMachineDefinition;
import java.time.Instant;

/**
 * One registered state machine as DescribeStateMachine reports it.
 *
 * @param revision   the store's number for this definition and role (each update makes a new one)
 * @param updateDate when UpdateStateMachine last changed it; {@code null} if never
 */
public record StateMachine(
        long revision,
        String arn,
        String name,
        StateMachineType type,
        String roleArn,
        StateMachineDefinition definition,
        Instant creationDate,
        Instant updateDate) {

    /** The workflow types of CreateStateMachine. */
    public enum StateMachineType {
        STANDARD, EXPRESS
    }
}
