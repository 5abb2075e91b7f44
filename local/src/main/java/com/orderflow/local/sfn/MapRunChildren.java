package com.orderflow.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.Execution;
import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.MapRunHost;
import com.orderflow.local.engine.ObjectStore;
import com.orderflow.local.engine.expr.JsonText;
import com.orderflow.local.engine.run.AslEngine;
import com.orderflow.local.store.StoredExecution;
import com.orderflow.local.store.WorkflowStore;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Distributed Map children as executions in the store, beside every other: started with their Map Run's ARN, listed
 * by ListExecutions with {@code mapRunArn}; after a restart the parent's Map Run takes each up again (an ended child
 * answers its recorded outcome, a RUNNING one is resumed), so no finished iteration is lost or run twice. When the
 * Map Run is redriven, a child that did not succeed is redriven as RedriveExecution redrives any execution: from the
 * state it failed in, its redriveCount one more.
 */
final class MapRunChildren implements MapRunHost {

    private final WorkflowStore store;
    private final OpenExecutions open;
    private final Clock clock;
    private final ObjectStore objects;
    /** Every Map Run's description, by its ARN, as stored when it started. */
    private final ConcurrentHashMap<String, JsonNode> mapRuns = new ConcurrentHashMap<>();
    private volatile AslEngine engine;

    MapRunChildren(WorkflowStore store, OpenExecutions open, Clock clock, ObjectStore objects) {
        this.store = store;
        this.open = open;
        this.clock = clock;
        this.objects = objects;
        store.documents(WorkflowStore.DocumentKind.MAP_RUN).forEach(d -> mapRuns.put(d.path("mapRunArn").asText(), d));
    }

    /** The engine the children run on (it is built with this host, so it comes after). */
    void runOn(AslEngine runningEngine) {
        this.engine = runningEngine;
    }

    /** Whether the execution that started this Map Run is still RUNNING (and so takes its children up again). */
    boolean parentRunning(String mapRunArn) {
        return mapRun(mapRunArn).flatMap(d -> store.find(d.path("executionArn").asText()))
                .filter(parent -> parent.status() == ExecutionStatus.RUNNING).isPresent();
    }

    Optional<JsonNode> mapRun(String mapRunArn) {
        return Optional.ofNullable(mapRuns.get(mapRunArn));
    }

    @Override
    public CompletableFuture<ExecutionOutcome> run(Child child) {
        var existing = store.find(child.executionArn());
        if (existing.isPresent()) {
            return takeUp(existing.get(), child);
        }
        var parent = mapRun(child.mapRunArn()).flatMap(d -> store.find(d.path("executionArn").asText()));
        long revision = parent.map(StoredExecution::revision).orElse(0L);
        var claim = store.claim(new WorkflowStore.NewExecution(child.executionArn(), child.name(), child.stateMachineArn(),
                child.stateMachineName(), revision, clock.instant(), null, null, null, child.mapRunArn()));
        if (!claim.created()) {
            return takeUp(claim.execution(), child);
        }
        var stored = claim.execution();
        var identity = new ExecutionIdentity(stored.executionArn(), stored.name(), child.stateMachineArn(),
                child.stateMachineName(), null, stored.startDate());
        Execution execution;
        try {
            execution = engine.start(child.definition(), identity, child.input(), child.tasks(), stored);
        } catch (RuntimeException e) {
            store.release(stored);
            throw e;
        }
        open.holdResumed(stored.executionArn(), execution);
        return execution.completion();
    }

    /** A child that exists already: its recorded outcome, the run in progress, or its resumption after a restart. */
    private CompletableFuture<ExecutionOutcome> takeUp(StoredExecution stored, Child child) {
        var running = open.find(stored.executionArn());
        if (running.isPresent()) {
            return running.get().completion();
        }
        if (stored.status() != ExecutionStatus.RUNNING) {
            if (redrivenWithItsMapRun(stored, child)) {
                return redrive(stored, child);
            }
            return CompletableFuture.completedFuture(outcomeOf(stored));
        }
        var history = stored.history();
        var identity = new ExecutionIdentity(stored.executionArn(), stored.name(), child.stateMachineArn(),
                child.stateMachineName(), null, stored.startDate());
        stored.resumed(history.getLast().id() + 1, clock.instant());
        var execution = engine.resume(child.definition(), identity, history, child.tasks(), stored);
        open.holdResumed(stored.executionArn(), execution);
        return execution.completion();
    }

    /**
     * Whether an ended child runs again: it did not succeed, the Map Run has been redriven more often than the child
     * (so this redrive has not taken it yet) and it is within what AWS redrives; otherwise its outcome stands.
     */
    private boolean redrivenWithItsMapRun(StoredExecution stored, Child child) {
        return stored.status() != ExecutionStatus.SUCCEEDED && child.mapRunRedrives() > stored.redriveCount()
                && ExecutionRedrives.pastLimits(stored, clock.instant()) == null;
    }

    private CompletableFuture<ExecutionOutcome> redrive(StoredExecution stored, Child child) {
        var identity = new ExecutionIdentity(stored.executionArn(), stored.name(), child.stateMachineArn(),
                child.stateMachineName(), null, stored.startDate());
        var execution = engine.redrive(child.definition(), identity, stored.history(), child.tasks(), stored);
        open.holdResumed(stored.executionArn(), execution);
        return execution.completion();
    }

    @Override
    public int redriveCount(String executionArn) {
        return store.find(executionArn).map(StoredExecution::redriveCount).orElse(0);
    }

    static ExecutionOutcome outcomeOf(StoredExecution stored) {
        var closing = stored.closing();
        var details = closing == null ? null : closing.details(); // built once: a compact event builds it per call
        JsonNode d = details == null || details.isEmpty() ? JsonText.NODES.objectNode() : details.elements().next();
        String error = d.path("error").asText(null);
        String cause = d.path("cause").asText(null);
        return switch (stored.status()) {
            case SUCCEEDED -> new ExecutionOutcome.Succeeded(JsonText.readValue(d.path("output").asText("null")));
            case TIMED_OUT -> new ExecutionOutcome.TimedOut(error, cause);
            case ABORTED -> new ExecutionOutcome.Aborted(error, cause);
            default -> new ExecutionOutcome.Failed(error, cause);
        };
    }

    @Override
    public void stop(String executionArn, String error, String cause) {
        open.find(executionArn).ifPresent(e -> e.stop(error, cause));
    }

    @Override
    public void mapRunStarted(ObjectNode mapRun) {
        String arn = mapRun.path("mapRunArn").asText();
        if (mapRuns.containsKey(arn)) {
            return; // taken up again after a restart: the first description stands
        }
        store.saveDocument(WorkflowStore.DocumentKind.MAP_RUN, mapRun);
        mapRuns.put(arn, mapRun);
    }

    @Override
    public JsonNode settings(String mapRunArn) {
        return mapRuns.get(mapRunArn);
    }

    /** UpdateMapRun: stores the description with the new settings; the running Map Run reads them as it goes. */
    synchronized void update(String mapRunArn, ObjectNode changes) {
        var updated = ((ObjectNode) mapRuns.get(mapRunArn)).deepCopy();
        updated.setAll(changes);
        store.saveDocument(WorkflowStore.DocumentKind.MAP_RUN, updated);
        mapRuns.put(mapRunArn, updated);
    }

    @Override
    public ObjectStore objects() {
        return objects;
    }
}
