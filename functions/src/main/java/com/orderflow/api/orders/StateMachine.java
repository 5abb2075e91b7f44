package com.orderflow.api.orders;

/**
 * The workflow's state machine ARN and the execution ARNs derived from it: execution name = order id, so an
 * order's execution can be described without having been stored anywhere.
 */
public record StateMachine(String arn) {

    public StateMachine {
        var parts = arn.split(":", -1);
        // arn:partition:states:region:account:stateMachine:name[:version-or-alias]
        if (parts.length < 7 || !parts[2].equals("states") || !parts[5].equals("stateMachine") || parts[6].isEmpty()) {
            throw new IllegalArgumentException("not a state machine ARN: " + arn);
        }
    }

    /** The ARN Step Functions gives the execution named {@code name} of this state machine. */
    public String executionArn(String name) {
        var parts = arn.split(":", -1);
        return String.join(":", parts[0], parts[1], parts[2], parts[3], parts[4]) + ":execution:" + parts[6] + ":" + name;
    }

    public String region() {
        return arn.split(":", -1)[3];
    }
}
