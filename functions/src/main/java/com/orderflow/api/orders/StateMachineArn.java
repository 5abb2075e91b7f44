package com.orderflow.api.orders;

import com.orderflow.aws.Arn;

/**
 * The workflow's state machine ARN and the execution ARNs derived from it: execution name = order id, so an
 * order's execution can be described without having been stored anywhere.
 */
public record StateMachineArn(Arn arn) {

    public StateMachineArn {
        // arn:partition:states:region:account:stateMachine:name[:version-or-alias]
        if (!arn.service().equals("states") || !arn.resourceType().equals("stateMachine")
                || arn.resourceParts().size() < 2 || arn.resourceParts().get(1).isEmpty()) {
            throw new IllegalArgumentException("not a state machine ARN: " + arn);
        }
    }

    /** The state machine ARN {@code text} is; anything else is refused. */
    public static StateMachineArn parse(String text) {
        return new StateMachineArn(Arn.require(text, "a state machine ARN"));
    }

    /** The ARN Step Functions gives the execution named {@code name} of this state machine. */
    public String executionArn(String name) {
        return arn.withResource("execution:" + arn.resourceParts().get(1) + ":" + name).toString();
    }

    public String region() {
        return arn.region();
    }

    @Override
    public String toString() {
        return arn.toString();
    }
}
