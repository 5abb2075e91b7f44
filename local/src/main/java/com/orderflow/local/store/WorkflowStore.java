package com.orderflow.local.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.HistoryUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.function.Predicate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

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
    }

    private final EventLog executionsLog;
    private final EventLog machinesLog;
    private final AtomicLong nextKey = new AtomicLong(1);
    private final AtomicLong nextRevision = new AtomicLong(1);
    private final ConcurrentHashMap<String, StoredExecution> byArn = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentSkipListMap<Long, StoredExecution>> byMachine =
            new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, MachineRevision> revisions = new ConcurrentSkipListMap<>();
    private final Map<DocumentKind, List<JsonNode>> documents = new java.util.EnumMap<>(DocumentKind.class);

    private WorkflowStore(EventLog executionsLog, EventLog machinesLog) {
        this.executionsLog = executionsLog;
        this.machinesLog = machinesLog;
    }

    /** A store that lasts as long as the process. */
    public static WorkflowStore inMemory() {
        return new WorkflowStore(null, null);
    }

    /** Opens (creating if needed) a store directory and reads back everything in it. */
    public static WorkflowStore open(Path directory, EventLog.Options options) throws IOException {
        var restoring = new Restoring();
        EventLog machines = EventLog.open(directory.resolve("machines"), options, restoring::machine);
        EventLog executions;
        try {
            executions = EventLog.open(directory.resolve("executions"), options, restoring::execution);
        } catch (IOException | RuntimeException e) {
            machines.close();
            throw e;
        }
        var store = new WorkflowStore(executions, machines);
        restoring.into(store);
        return store;
    }

    private boolean memoryOnly() {
        return executionsLog == null;
    }

    // ---- state machines -----------------------------------------------------------------------------

    /** The next revision number to give a change of a state machine. */
    public long newRevision() {
        return nextRevision.getAndIncrement();
    }

    /** Stores a state machine revision and returns once it is durable. */
    public void saveMachine(MachineRevision revision) {
        if (!memoryOnly()) {
            var node = EventCodec.MAPPER.createObjectNode()
                    .put("revision", revision.revision()).put("arn", revision.arn()).put("name", revision.name())
                    .put("type", revision.type()).put("roleArn", revision.roleArn())
                    .put("definition", revision.definition())
                    .put("creationDate", revision.creationDate().toString())
                    .put("updateDate", revision.updateDate() == null ? null : revision.updateDate().toString())
                    .put("deleted", revision.deleted());
            var durable = new CompletableFuture<Long>();
            machinesLog.tryAppend(EventCodec.MACHINE, EventCodec.json(node), durable::complete);
            await(durable, "the state machine");
        }
        revisions.put(revision.revision(), revision);
    }

    /** Every state machine revision ever stored, oldest first (a registry replays them at start). */
    public Collection<MachineRevision> machineRevisions() {
        return revisions.values();
    }

    public Optional<MachineRevision> machineRevision(long revision) {
        return Optional.ofNullable(revisions.get(revision));
    }

    /** Stores a document and returns once it is durable; callers serialize their changes. */
    public void saveDocument(DocumentKind kind, JsonNode document) {
        if (!memoryOnly()) {
            var durable = new CompletableFuture<Long>();
            machinesLog.tryAppend(kind.code, EventCodec.json(document), durable::complete);
            await(durable, "the " + kind.name().toLowerCase(java.util.Locale.ROOT));
        }
        synchronized (documents) {
            documents.computeIfAbsent(kind, k -> new ArrayList<>()).add(document);
        }
    }

    /** Every document of this kind ever stored, oldest first. */
    public List<JsonNode> documents(DocumentKind kind) {
        synchronized (documents) {
            return List.copyOf(documents.getOrDefault(kind, List.of()));
        }
    }

    // ---- executions ---------------------------------------------------------------------------------

    /**
     * Claims an execution ARN for a new execution, or returns the execution that holds it. The new one is
     * the recorder to hand the engine; it becomes visible once its first event is durable.
     */
    public Claim claim(NewExecution execution) {
        var created = new StoredExecution(this, nextKey.getAndIncrement(), execution.executionArn(), execution.name(),
                execution.stateMachineArn(), execution.stateMachineName(), execution.revision(), execution.startDate(),
                execution.testCase(), execution.versionArn(), execution.aliasArn(), execution.mapRunArn(), memoryOnly());
        StoredExecution existing = byArn.putIfAbsent(execution.executionArn(), created);
        return existing == null ? new Claim(created, true) : new Claim(existing, false);
    }

    /** The outcome of {@link #claim}: the execution, and whether it is the new one. */
    public record Claim(StoredExecution execution, boolean created) {
    }

    /** Gives an ARN back after its execution could not be started (nothing of it is durable). */
    public void release(StoredExecution execution) {
        if (!execution.visible()) {
            byArn.remove(execution.executionArn(), execution);
        }
    }

    public Optional<StoredExecution> find(String executionArn) {
        return Optional.ofNullable(byArn.get(executionArn)).filter(StoredExecution::visible);
    }

    /** The executions of one state machine, newest first. */
    public List<StoredExecution> list(String stateMachineArn) {
        var executions = byMachine.get(stateMachineArn);
        return executions == null ? List.of() : List.copyOf(executions.descendingMap().values());
    }

    /**
     * Up to {@code limit} executions of a state machine that {@code matches}, newest first, starting after the one
     * whose {@link StoredExecution#key()} is {@code after} (from the newest when null): a page costs what it holds
     * and what it skips, not the whole listing.
     */
    public List<StoredExecution> list(String stateMachineArn, Predicate<StoredExecution> matches, Long after, int limit) {
        var executions = byMachine.get(stateMachineArn);
        if (executions == null) {
            return List.of();
        }
        var newestFirst = after == null ? executions.descendingMap() : executions.headMap(after, false).descendingMap();
        var page = new ArrayList<StoredExecution>(Math.min(limit, 1024));
        for (StoredExecution e : newestFirst.values()) {
            if (page.size() == limit) {
                break;
            }
            if (matches.test(e)) {
                page.add(e);
            }
        }
        return page;
    }

    /** The executions that were RUNNING when the store was last closed or killed, oldest first. */
    public List<StoredExecution> unfinished() {
        return byArn.values().stream()
                .filter(e -> e.visible() && e.status() == ExecutionStatus.RUNNING)
                .sorted(java.util.Comparator.comparingLong(StoredExecution::key))
                .toList();
    }

    /** How many executions the store holds. */
    public int size() {
        return byArn.size();
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
        if (memoryOnly()) {
            return 0;
        }
        int pin = Integer.MAX_VALUE;
        for (StoredExecution e : byArn.values()) {
            Instant stop = e.stopDate();
            if (stop == null || !stop.isBefore(cutoff)) {
                pin = Math.min(pin, e.firstSegment());
            }
        }
        int dropped = 0;
        int deletedUpTo = -1;
        for (int segment : executionsLog.sealedSegments()) {
            if (segment >= pin) {
                break;
            }
            executionsLog.deleteSegment(segment);
            deletedUpTo = segment;
        }
        // an execution whose start was in a deleted segment is gone; its later records are ignored at open
        for (StoredExecution e : List.copyOf(byArn.values())) {
            if (e.visible() && e.firstSegment() <= deletedUpTo) {
                byArn.remove(e.executionArn(), e);
                var list = byMachine.get(e.stateMachineArn());
                if (list != null) {
                    list.remove(e.key());
                }
                dropped++;
            }
        }
        return dropped;
    }

    // ---- for StoredExecution --------------------------------------------------------------------------

    void write(StoredExecution execution, HistoryEvent event, EventLog.Durable durable) {
        if (event.id() == 1) {
            var meta = EventCodec.MAPPER.createObjectNode()
                    .put("executionArn", execution.executionArn()).put("name", execution.name())
                    .put("stateMachineArn", execution.stateMachineArn())
                    .put("stateMachineName", execution.stateMachineName())
                    .put("revision", execution.revision()).put("startDate", execution.startDate().toString())
                    .put("testCase", execution.testCase())
                    .put("versionArn", execution.versionArn()).put("aliasArn", execution.aliasArn())
                    .put("mapRunArn", execution.mapRunArn());
            // the first event is refused at once when the store cannot take it: nothing is acknowledged
            var record = EventCodec.start(execution.key(), meta, event);
            executionsLog.tryAppend(EventCodec.START, record.array(), record.size(), durable);
        } else {
            var record = EventCodec.event(execution.key(), event);
            executionsLog.append(EventCodec.EVENT, record.array(), record.size(), durable);
        }
    }

    /** Several events of one execution (never its first) as one record. */
    void writeAll(StoredExecution execution, List<HistoryEvent> events, EventLog.Durable durable) {
        var record = EventCodec.events(execution.key(), events);
        executionsLog.append(EventCodec.EVENTS, record.array(), record.size(), durable);
    }

    void writeResumed(StoredExecution execution, long beforeEventId, Instant at) {
        byte[] body = java.nio.ByteBuffer.allocate(20).putLong(execution.key()).putInt((int) beforeEventId)
                .putLong(at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000).array();
        executionsLog.append(EventCodec.RESUMED, body, null);
    }

    void writeHeartbeat(StoredExecution execution, long taskEventId, Instant at, EventLog.Durable durable) {
        byte[] body = java.nio.ByteBuffer.allocate(20).putLong(execution.key()).putInt((int) taskEventId)
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
        return kind == EventCodec.EVENTS ? EventCodec.decodeAll(body) : List.of(EventCodec.decode(kind, body));
    }

    void visible(StoredExecution execution) {
        byMachine.computeIfAbsent(execution.stateMachineArn(), k -> new ConcurrentSkipListMap<>())
                .put(execution.key(), execution);
    }

    private static void await(CompletableFuture<?> durable, String what) {
        try {
            durable.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new HistoryUnavailableException(what + " could not be stored within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistoryUnavailableException("interrupted before " + what + " was stored");
        }
    }

    @Override
    public void close() {
        if (executionsLog != null) {
            executionsLog.close();
            machinesLog.close();
        }
    }

    /** What the logs held, collected while they are read at open. */
    private static final class Restoring {
        final List<MachineRevision> machines = new ArrayList<>();
        final Map<Long, StoredExecution> byKey = new HashMap<>();
        final List<StoredExecution> order = new ArrayList<>();
        long maxKey;

        final Map<DocumentKind, List<JsonNode>> documents = new java.util.EnumMap<>(DocumentKind.class);

        private static String text(JsonNode node, String field) {
            return node.path(field).isTextual() ? node.path(field).asText() : null;
        }

        void machine(long location, byte kind, ByteBuffer body) {
            byte[] bytes = new byte[body.remaining()];
            body.get(bytes);
            for (DocumentKind document : DocumentKind.values()) {
                if (document.code == kind) {
                    documents.computeIfAbsent(document, k -> new ArrayList<>()).add(EventCodec.read(bytes));
                    return;
                }
            }
            if (kind != EventCodec.MACHINE) {
                return;
            }
            JsonNode n = EventCodec.read(bytes);
            machines.add(new MachineRevision(n.path("revision").asLong(), n.path("arn").asText(), n.path("name").asText(),
                    n.path("type").asText(), n.path("roleArn").asText(), n.path("definition").asText(),
                    Instant.parse(n.path("creationDate").asText()),
                    n.path("updateDate").isTextual() ? Instant.parse(n.path("updateDate").asText()) : null,
                    n.path("deleted").asBoolean()));
        }

        void execution(long location, byte kind, ByteBuffer body) {
            if (kind == EventCodec.START) {
                JsonNode meta = EventCodec.startMeta(body);
                EventCodec.Header header = EventCodec.header(body);
                if (byKey.containsKey(header.execution())) {
                    return; // written twice after a failed write
                }
                var e = new StoredExecution(null, header.execution(), meta.path("executionArn").asText(),
                        meta.path("name").asText(), meta.path("stateMachineArn").asText(),
                        meta.path("stateMachineName").asText(), meta.path("revision").asLong(),
                        Instant.parse(meta.path("startDate").asText()),
                        text(meta, "testCase"), text(meta, "versionArn"), text(meta, "aliasArn"),
                        text(meta, "mapRunArn"), false);
                e.restored(header, location);
                byKey.put(header.execution(), e);
                order.add(e);
                maxKey = Math.max(maxKey, header.execution());
            } else if (kind == EventCodec.EVENT) {
                EventCodec.Header header = EventCodec.header(body);
                StoredExecution e = byKey.get(header.execution());
                if (e != null) {
                    e.restored(header, location);
                }
                // no start: the execution's first segment was dropped by retention
            } else if (kind == EventCodec.EVENTS) {
                EventCodec.headers(body, header -> {
                    StoredExecution e = byKey.get(header.execution());
                    if (e != null) {
                        e.restored(header, location);
                    }
                });
            } else if (kind == EventCodec.HEARTBEAT) {
                StoredExecution e = byKey.get(body.getLong());
                int taskEventId = body.getInt();
                long micros = body.getLong();
                if (e != null) {
                    e.restoredHeartbeat(taskEventId, Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000),
                            Math.floorMod(micros, 1_000_000) * 1_000L));
                }
            } else if (kind == EventCodec.RESUMED) {
                StoredExecution e = byKey.get(body.getLong());
                int before = body.getInt();
                long micros = body.getLong();
                if (e != null) {
                    e.restoredResume(before, Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000),
                            Math.floorMod(micros, 1_000_000) * 1_000L));
                }
            }
        }

        void into(WorkflowStore store) {
            for (MachineRevision m : machines) {
                store.revisions.put(m.revision(), m);
            }
            store.documents.putAll(documents);
            store.nextRevision.set(machines.stream().mapToLong(MachineRevision::revision).max().orElse(0) + 1);
            store.nextKey.set(maxKey + 1);
            for (StoredExecution e : order) {
                StoredExecution bound = e.bind(store);
                store.byArn.put(bound.executionArn(), bound);
                store.visible(bound);
            }
        }
    }
}
