package com.orderflow.local.sfn;

import java.util.regex.Pattern;

/**
 * Builds and reads Step Functions ARNs for one region and account, in AWS's formats:
 * {@code arn:aws:states:<region>:<account>:stateMachine:<name>} and
 * {@code arn:aws:states:<region>:<account>:execution:<stateMachineName>:<executionName>}.
 */
public record StatesArns(String region, String accountId) {

    private static final Pattern STATE_MACHINE =
            Pattern.compile("^arn:aws[a-z-]*:states:([a-z0-9-]+):(\\d{12}):stateMachine:([^:]+)$");
    private static final Pattern QUALIFIED =
            Pattern.compile("^arn:aws[a-z-]*:states:([a-z0-9-]+):(\\d{12}):stateMachine:([^:]+):([^:]+)$");
    private static final Pattern EXECUTION =
            Pattern.compile("^arn:aws[a-z-]*:states:([a-z0-9-]+):(\\d{12}):execution:([^:]+):([^:]+)$");

    public StatesArns {
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
            throw new IllegalArgumentException("not an AWS region name: " + region);
        }
        if (!accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("an account id has 12 digits: " + accountId);
        }
    }

    public String stateMachineArn(String name) {
        return "arn:aws:states:" + region + ":" + accountId + ":stateMachine:" + name;
    }

    public String executionArn(String stateMachineName, String executionName) {
        return "arn:aws:states:" + region + ":" + accountId + ":execution:" + stateMachineName + ":" + executionName;
    }

    /** An Express execution's ARN: {@code arn:aws:states:<region>:<account>:express:<stateMachine>:<name>:<id>}. */
    public String expressExecutionArn(String stateMachineName, String executionName, String id) {
        return "arn:aws:states:" + region + ":" + accountId + ":express:" + stateMachineName + ":" + executionName + ":" + id;
    }

    /** Whether this reads as an Express execution's ARN, which no execution operation takes. */
    public boolean isExpressExecution(String arn) {
        var parts = arn.split(":", 7);
        return parts.length == 7 && parts[0].equals("arn") && parts[2].equals("states") && parts[5].equals("express");
    }

    /** The state machine name in a state machine ARN; {@code InvalidArn} when it is not one. */
    public String stateMachineName(String arn) {
        // every StartExecution names its machine: this region's and account's ARNs are read without the pattern
        int name = localNameAt(arn, "stateMachine");
        if (name > 0 && name < arn.length() && arn.indexOf(':', name) < 0) {
            return arn.substring(name);
        }
        var m = STATE_MACHINE.matcher(arn);
        if (!m.matches()) {
            throw StepFunctionsException.invalidArn(arn);
        }
        return m.group(3);
    }

    /** {@code <stateMachineArn>:<qualifier>}: a version number or an alias name. */
    public String qualifiedArn(String stateMachineName, String qualifier) {
        return stateMachineArn(stateMachineName) + ":" + qualifier;
    }

    /**
     * A state machine ARN with or without a qualifier; {@code InvalidArn} when it is neither.
     * A qualifier of digits only is a version number, any other an alias name.
     */
    public Qualified qualified(String arn) {
        var m = QUALIFIED.matcher(arn);
        if (m.matches()) {
            return new Qualified(m.group(3), m.group(4));
        }
        return new Qualified(stateMachineName(arn), null);
    }

    /** A state machine's name and the version number or alias name after it, or {@code null} for none. */
    public record Qualified(String stateMachineName, String qualifier) {
        public boolean isVersion() {
            return qualifier != null && qualifier.chars().allMatch(Character::isDigit);
        }

        public boolean isAlias() {
            return qualifier != null && !isVersion();
        }
    }

    /** Where the name starts in {@code arn:aws:states:<region>:<account>:<kind>:<name>} of this region and account, or -1. */
    private int localNameAt(String arn, String kind) {
        int at = 0;
        for (String part : new String[] {"arn:aws:states:", region, ":", accountId, ":", kind, ":"}) {
            if (!arn.startsWith(part, at)) {
                return -1;
            }
            at += part.length();
        }
        return at;
    }

    /** Whether a well-formed ARN names this region and account (others can exist nowhere here). */
    public boolean isLocal(String arn) {
        var parts = arn.split(":", 6);
        return parts.length == 6 && parts[3].equals(region) && parts[4].equals(accountId);
    }

    /** The state machine and execution names of an execution ARN; {@code InvalidArn} when it is not one. */
    public ExecutionArn execution(String arn) {
        var m = EXECUTION.matcher(arn);
        if (!m.matches()) {
            throw StepFunctionsException.invalidArn(arn);
        }
        return new ExecutionArn(m.group(3), m.group(4));
    }

    /** The two names an execution ARN carries. */
    public record ExecutionArn(String stateMachineName, String executionName) {
    }
}
