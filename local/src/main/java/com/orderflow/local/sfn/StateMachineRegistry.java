package com.orderflow.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.InvalidDefinitionException;
import com.orderflow.local.engine.definition.StateMachineDefinition;
import com.orderflow.local.sfn.StateMachine.StateMachineType;
import com.orderflow.local.store.WorkflowStore;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The state machines of one local Step Functions endpoint, keyed by name, with CreateStateMachine's
 * validation and idempotency rules. The local stack calls {@link #create} at startup directly.
 */
public final class StateMachineRegistry {

    private static final int COMPILED_REVISIONS = 64;
    private final StatesArns arns;
    private final Clock clock;
    private final ConcurrentSkipListMap<String, StateMachine> byName = new ConcurrentSkipListMap<>();
    private final WorkflowStore store;
    private final DefinitionCheck check;
    /** Earlier revisions compiled for versions and old executions, the most recently used kept; a revision never changes. */
    private final Map<Long, StateMachine> compiledRevisions = new LinkedHashMap<>(16, 0.75f, true);
    /** Held while a change is stored and applied, so that changes of one name cannot interleave. */
    private final Object changes = new Object();

    /** A registry holding what {@code store} kept of earlier runs; every change is durable before it answers. */
    StateMachineRegistry(StatesArns arns, Clock clock, WorkflowStore store, DefinitionCheck check) {
        this.arns = arns;
        this.check = check;
        this.clock = clock;
        this.store = store;
        for (var revision : store.machineRevisions()) {
            if (revision.deleted()) {
                byName.remove(revision.name());
            } else {
                byName.put(revision.name(), fromRevision(revision));
            }
        }
    }

    /**
     * The state machine as it was at {@code revision} (what an execution ran), if the store has it: compiled once per
     * revision, not once per StartExecution on a version or alias, nor once per DescribeStateMachineForExecution.
     */
    public Optional<StateMachine> atRevision(long revision) {
        var current = store.machineRevision(revision).filter(r -> !r.deleted())
                .map(r -> byName.get(r.name())).filter(sm -> sm.revision() == revision);
        if (current.isPresent()) {
            return current;
        }
        synchronized (compiledRevisions) {
            var compiled = compiledRevisions.get(revision);
            if (compiled != null) {
                return Optional.of(compiled);
            }
        }
        var loaded = store.machineRevision(revision).filter(r -> !r.deleted()).map(StateMachineRegistry::fromRevision);
        loaded.ifPresent(sm -> {
            synchronized (compiledRevisions) {
                compiledRevisions.put(revision, sm);
                if (compiledRevisions.size() > COMPILED_REVISIONS) {
                    compiledRevisions.remove(compiledRevisions.keySet().iterator().next());
                }
            }
        });
        return loaded;
    }

    private static StateMachine fromRevision(WorkflowStore.MachineRevision r) {
        StateMachineDefinition definition;
        try {
            definition = StateMachineDefinition.parse(r.definition());
        } catch (InvalidDefinitionException e) {
            throw new IllegalStateException("stored definition of " + r.arn() + " no longer parses: " + e.getMessage(), e);
        }
        return new StateMachine(r.revision(), r.arn(), r.name(), StateMachineType.valueOf(r.type()), r.roleArn(),
                definition, r.creationDate(), r.updateDate());
    }

    private StateMachine save(StateMachine sm, boolean deleted) {
        store.saveMachine(new WorkflowStore.MachineRevision(sm.revision(), sm.arn(), sm.name(), sm.type().name(),
                sm.roleArn(), sm.definition().json(), sm.creationDate(), sm.updateDate(), deleted));
        return sm;
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
        var definition = check.parse(name, definitionJson);
        if (type == StateMachineType.EXPRESS) {
            check.requireExpressRunnable(definition);
        }
        synchronized (changes) {
            var existing = byName.get(name);
            if (existing == null) {
                var created = save(new StateMachine(store.newRevision(), arns.stateMachineArn(name), name, type, roleArn,
                        definition, clock.instant(), null), false);
                byName.put(name, created);
                return created;
            }
            return repeated(existing, type, definition);
        }
    }

    private StateMachine repeated(StateMachine existing, StateMachineType type, StateMachineDefinition definition) {
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
        synchronized (changes) {
            var sm = byName.get(name);
            if (sm != null && sm.arn().equals(arn)) {
                save(new StateMachine(store.newRevision(), sm.arn(), sm.name(), sm.type(), sm.roleArn(), sm.definition(),
                        sm.creationDate(), clock.instant()), true);
                byName.remove(name);
            }
        }
    }

    /** Replaces the definition and/or role; at least one must be given. */
    public StateMachine update(String arn, String definitionJson, String roleArn) {
        if (definitionJson == null && roleArn == null) {
            throw new StepFunctionsException("MissingRequiredParameter",
                    "Either the definition or the roleArn must be specified");
        }
        var name = arns.stateMachineName(arn);
        var definition = definitionJson == null ? null : check.parse(name, definitionJson);
        if (roleArn != null) {
            requireRoleArn(roleArn);
        }
        synchronized (changes) {
            var sm = byName.get(name);
            if (sm == null || !sm.arn().equals(arn)) {
                throw StepFunctionsException.stateMachineDoesNotExist(arn);
            }
            if (definition != null && sm.type() == StateMachineType.EXPRESS) {
                check.requireExpressRunnable(definition);
            }
            var updated = save(new StateMachine(store.newRevision(), sm.arn(), sm.name(), sm.type(),
                    roleArn == null ? sm.roleArn() : roleArn,
                    definition == null ? sm.definition() : definition,
                    sm.creationDate(), clock.instant()), false);
            byName.put(name, updated);
            return updated;
        }
    }

    private static void requireRoleArn(String roleArn) {
        if (roleArn == null || !StatesArns.isRoleArn(roleArn)) {
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
