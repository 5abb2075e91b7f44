package com.orderflow.local.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.local.engine.HistoryEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Every state machine revision and every execution's history, in one durable event log (or in
 * memory only). An execution becomes visible once its first event is durable; what it reports is
 * derived from its durable events.
 */
public final class WorkflowStore implements AutoCloseable {

    /** One revision of a state machine: created, updated or deleted. */
    public record MachineRevision(long revision, String arn, String name, String type, String roleArn,
                                  String definition, Instant creationDate, Instant updateDate, boolean deleted) {
    }

    /**
     * What identifies a new execution.
     *
     * @param testCase   the mock configuration's test case it runs under, or {@code null}
     * @param versionArn the state machine version it was started on (by its ARN or through an alias), or {@code null}
     * @param aliasArn   the alias it was started through, or {@code null}
     * @param mapRunArn  the Map Run it is a child execution of, or {@code null}
     */
    public record NewExecution(String executionArn, String name, String stateMachineArn, String stateMachineName,
                               long revision, Instant startDate, String testCase, String versionArn, String aliasArn,
                               String mapRunArn) {

        /** An execution that is no Map Run's child. */
        public NewExecution(String executionArn, String name, String stateMachineArn, String stateMachineName,
                            long revision, Instant startDate, String testCase, String versionArn, String aliasArn) {
            this(executionArn, name, stateMachineArn, stateMachineName, revision, startDate, testCase, versionArn,
                    aliasArn, null);
        }

        /** An execution of the state machine's latest revision, by its unqualified ARN. */
        public NewExecution(String executionArn, String name, String stateMachineArn, String stateMachineName,
                            long revision, Instant startDate, String testCase) {
            this(executionArn, name, stateMachineArn, stateMachineName, revision, startDate, testCase, null, null);
        }
    }

    /**
     * The kinds of small documents kept beside the state machine revisions, each replayed in order at open: a later
     * document of a resource replaces the earlier one.
     */
    public enum DocumentKind {
        /** A published state machine version (or its deletion). */
        VERSION(EventCodec.VERSION),
        /** A state machine alias (or its deletion). */
        ALIAS(EventCodec.ALIAS),
        /** The whole tag set of one resource. */
        TAGS(EventCodec.TAGS),
        /** An activity (or its deletion). */
        ACTIVITY(EventCodec.ACTIVITY),
        /** A Map Run's settings and item count, stored as it starts. */
        MAP_RUN(EventCodec.MAP_RUN);

        private final byte code;

        DocumentKind(byte code) {
            this.code = code;
        }

        /** The record kind it is stored as. */
        byte code() {
            return code;
        }
    }

    /** The log of every execution's history; {@code null} in memory. */
    private final EventLog executionsLog;
    /** The log of state machines and documents; {@code null} in memory. */
    private final EventLog machinesLog;
    private final MachineCatalog catalog;
    private final ExecutionIndex index = new ExecutionIndex();

    private WorkflowStore(EventLog executionsLog, EventLog machinesLog) {
        this.executionsLog = executionsLog;
        this.catalog = new MachineCatalog(machinesLog);
        this.machinesLog = machinesLog;
    }

    /** A store that lasts as long as the process. */
    public static WorkflowStore inMemory() {
        return new WorkflowStore(null, null);
    }

    /** Opens (creating if needed) a store directory and reads back everything in it. */
    public static WorkflowStore open(Path directory, EventLog.Options options) throws IOException {
        var restoring = new StoreRestore();
        EventLog machines = EventLog.open(directory.resolve("machines"), options, restoring::machine);
        EventLog executions;
        try {
            executions = EventLog.open(directory.resolve("executions"), options, restoring::execution);
        } catch (IOException | RuntimeException e) {
            machines.close();
            throw e;
        }
        var store = new WorkflowStore(executions, machines);
        restoring.into(store, store.catalog, store.index);
        return store;
    }

    private boolean memoryOnly() {
        return executionsLog == null;
    }

    // ---- state machines -----------------------------------------------------------------------------

    /** The next revision number to give a change of a state machine. */
    public long newRevision() {
        return catalog.newRevision();
    }

    /** Stores a state machine revision and returns once it is durable. */
    public void saveMachine(MachineRevision revision) {
        catalog.saveMachine(revision);
    }

    /** Every state machine revision ever stored, oldest first (a registry replays them at start). */
    public Collection<MachineRevision> machineRevisions() {
        return catalog.machineRevisions();
    }

    public Optional<MachineRevision> machineRevision(long revision) {
        return catalog.machineRevision(revision);
    }

    /** Stores a document and returns once it is durable; callers serialize their changes. */
    public void saveDocument(DocumentKind kind, JsonNode document) {
        catalog.saveDocument(kind, document);
    }

    /** Every document of this kind ever stored, oldest first. */
    public List<JsonNode> documents(DocumentKind kind) {
        return catalog.documents(kind);
    }

    // ---- executions ---------------------------------------------------------------------------------

    /**
     * Claims an execution ARN for a new execution, or returns the execution that holds it. The new one is
     * the recorder to hand the engine; it becomes visible once its first event is durable.
     */
    public Claim claim(NewExecution execution) {
        var created = new StoredExecution(this, index.nextKey(), execution.executionArn(), execution.name(),
                execution.stateMachineArn(), execution.stateMachineName(), execution.revision(), execution.startDate(),
                execution.testCase(), execution.versionArn(), execution.aliasArn(), execution.mapRunArn(), memoryOnly());
        StoredExecution existing = index.putIfAbsent(created);
        return existing == null ? new Claim(created, true) : new Claim(existing, false);
    }

    /** The outcome of {@link #claim}: the execution, and whether it is the new one. */
    public record Claim(StoredExecution execution, boolean created) {
    }

    /** Gives an ARN back after its execution could not be started (nothing of it is durable). */
    public void release(StoredExecution execution) {
        index.release(execution);
    }

    public Optional<StoredExecution> find(String executionArn) {
        return index.find(executionArn);
    }

    /** The executions of one state machine, newest first. */
    public List<StoredExecution> list(String stateMachineArn) {
        return index.list(stateMachineArn);
    }

    /**
     * Up to {@code limit} executions of a state machine that {@code matches}, newest first, starting after the one
     * whose {@link StoredExecution#key()} is {@code after} (from the newest when null): a page costs what it holds
     * and what it skips, not the whole listing.
     */
    public List<StoredExecution> list(String stateMachineArn, Predicate<StoredExecution> matches, Long after, int limit) {
        return index.list(stateMachineArn, matches, after, limit);
    }

    /** The executions that were RUNNING when the store was last closed or killed, oldest first. */
    public List<StoredExecution> unfinished() {
        return index.unfinished();
    }

    /** How many executions the store holds. */
    public int size() {
        return index.size();
    }

    /** The executions log's fsyncs and records so far (zeros in memory). */
    public EventLog.Stats logStats() {
        return memoryOnly() ? new EventLog.Stats(0, 0) : executionsLog.stats();
    }

    /** Why the store cannot write right now, or {@code null}. */
    public String failure() {
        if (memoryOnly()) {
            return null;
        }
        String why = executionsLog.failure();
        return why != null ? why : machinesLog.failure();
    }

    /**
     * Drops executions that ended before {@code cutoff} by deleting whole log segments, oldest first,
     * up to the first segment an execution still needed starts in; nothing else is rewritten.
     *
     * @return how many executions were dropped
     */
    public int dropFinishedBefore(Instant cutoff) throws IOException {
        return memoryOnly() ? 0 : ExecutionRetention.dropFinishedBefore(cutoff, index, executionsLog);
    }

    // ---- for StoredExecution --------------------------------------------------------------------------

    void write(StoredExecution execution, HistoryEvent event, EventLog.Durable durable) {
        if (event.id() == 1) {
            // the first event is refused at once when the store cannot take it: nothing is acknowledged
            var record = EventCodec.start(execution.key(), EventCodec.executionMeta(execution), event);
            executionsLog.tryAppend(EventCodec.START, record.array(), record.size(), durable);
        } else {
            var record = EventCodec.event(execution.key(), event);
            executionsLog.append(EventCodec.EVENT, record.array(), record.size(), durable);
        }
    }

    /** Several events of one execution (never its first) as one record. */
    void writeAll(StoredExecution execution, List<HistoryEvent> events, EventLog.Durable durable) {
        var record = EventCodec.eventRun(execution.key(), events);
        executionsLog.append(EventCodec.EVENT_RUN, record.array(), record.size(), durable);
    }

    void writeResumed(StoredExecution execution, long beforeEventId, Instant at) {
        byte[] body = ByteBuffer.allocate(20).putLong(execution.key()).putInt((int) beforeEventId)
                .putLong(at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000).array();
        executionsLog.append(EventCodec.RESUMED, body, null);
    }

    void writeHeartbeat(StoredExecution execution, long taskEventId, Instant at, EventLog.Durable durable) {
        byte[] body = ByteBuffer.allocate(20).putLong(execution.key()).putInt((int) taskEventId)
                .putLong(at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000).array();
        executionsLog.append(EventCodec.HEARTBEAT, body, durable);
    }

    /** The event with this id in the record at {@code location}. */
    HistoryEvent readEvent(long location, long id) {
        for (HistoryEvent event : readEvents(location)) {
            if (event.id() == id) {
                return event;
            }
        }
        throw new IllegalStateException("event " + id + " is not in the store's record at " + location);
    }

    /** Every event in the record at {@code location}: one, or a run of them. */
    List<HistoryEvent> readEvents(long location) {
        ByteBuffer record = executionsLog.read(location);
        byte kind = record.get(0);
        ByteBuffer body = record.position(1).slice();
        return switch (kind) {
            case EventCodec.EVENT_RUN -> EventCodec.decodeRun(body);
            case EventCodec.EVENTS -> EventCodec.decodeAll(body); // written before EVENT_RUN
            default -> List.of(EventCodec.decode(kind, body));
        };
    }

    void visible(StoredExecution execution) {
        index.visible(execution);
    }

    @Override
    public void close() {
        if (executionsLog != null) {
            executionsLog.close();
            machinesLog.close();
        }
    }
}
