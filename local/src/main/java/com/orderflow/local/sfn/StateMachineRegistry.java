package com.orderflow.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.InvalidDefinitionException;
import com.orderflow.local.engine.StateMachineDefinition;
import com.orderflow.local.sfn.StateMachine.StateMachineType;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;

/**
 * The state machines of one local Step Functions endpoint, keyed by name, with CreateStateMachine's
 * validation and idempotency rules. The local stack calls {@link #create} at startup directly.
 */
public final class StateMachineRegistry {

    private static final Pattern ROLE_ARN = Pattern.compile("^arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$");

    private final StatesArns arns;
    private final Clock clock;
    private final ConcurrentSkipListMap<String, StateMachine> byName = new ConcurrentSkipListMap<>();

    public StateMachineRegistry(StatesArns arns, Clock clock) {
        this.arns = arns;
        this.clock = clock;
    }

    public StatesArns arns() {
        return arns;
    }

    /**
     * Creates a state machine, or returns the existing one when name, type and definition match
     * (AWS ignores a different role on such a repeat).
     *
     * @throws StepFunctionsException InvalidName, InvalidArn, InvalidDefinition or StateMachineAlreadyExists
     */
    public StateMachine create(String name, String definitionJson, String roleArn, StateMachineType type) {
        ResourceNames.require(name);
        requireRoleArn(roleArn);
        var definition = parse(definitionJson);
        var candidate = new StateMachine(arns.stateMachineArn(name), name, type, roleArn, definition,
                clock.instant(), null);
        var existing = byName.putIfAbsent(name, candidate);
        if (existing == null) {
            return candidate;
        }
        if (existing.type() == type && sameDefinition(existing.definition(), definition)) {
            return existing;
        }
        throw new StepFunctionsException("StateMachineAlreadyExists",
                "State Machine Already Exists: '" + existing.arn() + "'");
    }

    /** The state machine with this ARN; InvalidArn or StateMachineDoesNotExist otherwise. */
    public StateMachine describe(String arn) {
        return find(arn).orElseThrow(() -> StepFunctionsException.stateMachineDoesNotExist(arn));
    }

    /** The state machine with this ARN, if it exists; InvalidArn when the ARN is malformed. */
    public Optional<StateMachine> find(String arn) {
        var name = arns.stateMachineName(arn);
        return Optional.ofNullable(byName.get(name)).filter(sm -> sm.arn().equals(arn));
    }

    /** All state machines, ordered by name. */
    public List<StateMachine> list() {
        return List.copyOf(byName.values());
    }

    /** Removes a state machine; deleting one that does not exist succeeds, as on AWS. */
    public void delete(String arn) {
        var name = arns.stateMachineName(arn);
        byName.computeIfPresent(name, (k, sm) -> sm.arn().equals(arn) ? null : sm);
    }

    /** Replaces the definition and/or role; at least one must be given. */
    public StateMachine update(String arn, String definitionJson, String roleArn) {
        if (definitionJson == null && roleArn == null) {
            throw new StepFunctionsException("MissingRequiredParameter",
                    "Either the definition or the roleArn must be specified");
        }
        var definition = definitionJson == null ? null : parse(definitionJson);
        if (roleArn != null) {
            requireRoleArn(roleArn);
        }
        var name = arns.stateMachineName(arn);
        var updated = byName.computeIfPresent(name, (k, sm) -> new StateMachine(sm.arn(), sm.name(), sm.type(),
                roleArn == null ? sm.roleArn() : roleArn,
                definition == null ? sm.definition() : definition,
                sm.creationDate(), clock.instant()));
        if (updated == null) {
            throw StepFunctionsException.stateMachineDoesNotExist(arn);
        }
        return updated;
    }

    private static StateMachineDefinition parse(String json) {
        try {
            return StateMachineDefinition.parse(json);
        } catch (InvalidDefinitionException e) {
            var message = e.getMessage();
            throw new StepFunctionsException("InvalidDefinition",
                    message.startsWith("Invalid State Machine Definition") ? message
                            : "Invalid State Machine Definition: '" + message + "'");
        }
    }

    private static void requireRoleArn(String roleArn) {
        if (roleArn == null || !ROLE_ARN.matcher(roleArn).matches()) {
            throw StepFunctionsException.invalidArn(roleArn);
        }
    }

    private static boolean sameDefinition(StateMachineDefinition a, StateMachineDefinition b) {
        if (a.json().equals(b.json())) {
            return true;
        }
        // a repeat that differs only in whitespace or key order is the same document, so still idempotent
        try {
            JsonNode left = Json.mapper().readTree(a.json());
            JsonNode right = Json.mapper().readTree(b.json());
            return left.equals(right);
        } catch (Exception e) {
            return false;
        }
    }
}
