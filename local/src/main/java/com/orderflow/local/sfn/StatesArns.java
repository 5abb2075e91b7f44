package com.orderflow.local.sfn;

import com.orderflow.aws.Arn;
import java.util.Optional;

/**
 * Builds and reads Step Functions ARNs for one region and account, in AWS's formats:
 * {@code arn:aws:states:<region>:<account>:stateMachine:<name>} and
 * {@code arn:aws:states:<region>:<account>:execution:<stateMachineName>:<executionName>}. Every ARN is taken apart
 * by {@link Arn}; this region's and account's state machine ARNs, which every StartExecution names, by a prefix
 * check that gives the same answer without the parse.
 */
public record StatesArns(String region, String accountId) {

    public StatesArns {
        var checked = new Arn("aws", "states", region, accountId, "stateMachine:check");
        if (checked.region().isEmpty()) {
            throw new IllegalArgumentException("not an AWS region name: " + region);
        }
        if (checked.account().length() != 12) {
            throw new IllegalArgumentException("an account id has 12 digits: " + accountId);
        }
    }

    public String stateMachineArn(String name) {
        return arn("stateMachine:" + name);
    }

    public String executionArn(String stateMachineName, String executionName) {
        return arn("execution:" + stateMachineName + ":" + executionName);
    }

    public String activityArn(String name) {
        return arn("activity:" + name);
    }

    /** The name in one of this region's and account's activity ARNs, or empty when it is none. */
    public Optional<String> activityName(String arn) {
        return states(arn, "activity", 2).filter(a -> a.region().equals(region) && a.account().equals(accountId))
                .map(a -> a.resourceParts().get(1));
    }

    /** Whether {@code arn} is an IAM role's ARN, as CreateStateMachine's {@code roleArn} must be. */
    public static boolean isRoleArn(String arn) {
        return Arn.parse(arn).filter(a -> a.service().equals("iam") && a.region().isEmpty()
                && a.account().length() == 12 && a.resource().startsWith("role/") && a.resource().length() > 5
                && a.resource().length() <= 517 && a.resource().chars().allMatch(StatesArns::roleChar)).isPresent();
    }

    private static boolean roleChar(int c) {
        return Character.isLetterOrDigit(c) && c < 128 || "_+=,.@/-".indexOf(c) >= 0;
    }

    /** An Express execution's ARN: {@code arn:aws:states:<region>:<account>:express:<stateMachine>:<name>:<id>}. */
    public String expressExecutionArn(String stateMachineName, String executionName, String id) {
        return arn("express:" + stateMachineName + ":" + executionName + ":" + id);
    }

    /** Whether this reads as an Express execution's ARN, which no execution operation takes. */
    public boolean isExpressExecution(String arn) {
        return Arn.parse(arn).filter(a -> a.service().equals("states") && a.resourceType().equals("express")).isPresent();
    }

    /** The state machine name in a state machine ARN; {@code InvalidArn} when it is not one. */
    public String stateMachineName(String arn) {
        int name = localNameAt(arn, "stateMachine");
        if (name > 0 && name < arn.length() && arn.indexOf(':', name) < 0) {
            return arn.substring(name);
        }
        return states(arn, "stateMachine", 2).map(a -> a.resourceParts().get(1))
                .orElseThrow(() -> StepFunctionsException.invalidArn(arn));
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
        int name = localNameAt(arn, "stateMachine");
        if (name > 0 && name < arn.length()) {
            // this region's and account's, as every StartExecution names: the same answer as the parse below
            int colon = arn.indexOf(':', name);
            if (colon < 0) {
                return new Qualified(arn.substring(name), null);
            }
            if (colon > name && colon + 1 < arn.length() && arn.indexOf(':', colon + 1) < 0) {
                return new Qualified(arn.substring(name, colon), arn.substring(colon + 1));
            }
        }
        var withQualifier = states(arn, "stateMachine", 3);
        if (withQualifier.isPresent()) {
            var parts = withQualifier.get().resourceParts();
            return new Qualified(parts.get(1), parts.get(2));
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

    /** Whether a well-formed ARN names this region and account (others can exist nowhere here). */
    public boolean isLocal(String arn) {
        return Arn.parse(arn).filter(a -> a.region().equals(region) && a.account().equals(accountId)).isPresent();
    }

    /** The state machine and execution names of an execution ARN; {@code InvalidArn} when it is not one. */
    public ExecutionArn execution(String arn) {
        var parts = states(arn, "execution", 3).map(Arn::resourceParts)
                .orElseThrow(() -> StepFunctionsException.invalidArn(arn));
        return new ExecutionArn(parts.get(1), parts.get(2));
    }

    /** The two names an execution ARN carries. */
    public record ExecutionArn(String stateMachineName, String executionName) {
    }

    /** What {@code new Arn(...).toString()} gives, without its checks: region and account passed them at construction. */
    private String arn(String resource) {
        return "arn:aws:states:" + region + ":" + accountId + ":" + resource;
    }

    /** {@code text} as a Step Functions ARN of {@code type} with {@code parts} non-empty resource parts, any region. */
    private static Optional<Arn> states(String text, String type, int parts) {
        return Arn.parse(text).filter(a -> a.is("states", type, parts) && a.account().length() == 12
                && !a.region().isEmpty() && a.resourceParts().stream().noneMatch(String::isEmpty));
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
}
