package com.orderflow.local.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.local.engine.HistoryUnavailableException;
import com.orderflow.local.store.WorkflowStore.DocumentKind;
import com.orderflow.local.store.WorkflowStore.MachineRevision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The state machine revisions and the small documents beside them (versions, aliases, tags, activities, Map Runs),
 * kept in their own log: each is stored as one JSON record and answered from memory.
 */
final class MachineCatalog {

    /** Where they are stored; {@code null} in memory. */
    private final EventLog machinesLog;
    private final AtomicLong nextRevision = new AtomicLong(1);
    private final ConcurrentSkipListMap<Long, MachineRevision> revisions = new ConcurrentSkipListMap<>();
    private final Map<DocumentKind, List<JsonNode>> documents = new EnumMap<>(DocumentKind.class);

    MachineCatalog(EventLog machinesLog) {
        this.machinesLog = machinesLog;
    }

    long newRevision() {
        return nextRevision.getAndIncrement();
    }

    /** Stores a state machine revision and returns once it is durable. */
    void saveMachine(MachineRevision revision) {
        if (machinesLog != null) {
            var node = EventCodec.MAPPER.createObjectNode()
                    .put("revision", revision.revision()).put("arn", revision.arn()).put("name", revision.name())
                    .put("type", revision.type()).put("roleArn", revision.roleArn())
                    .put("definition", revision.definition())
                    .put("creationDate", revision.creationDate().toString())
                    .put("updateDate", revision.updateDate() == null ? null : revision.updateDate().toString())
                    .put("deleted", revision.deleted());
            appendDurably(EventCodec.MACHINE, EventCodec.json(node), "the state machine");
        }
        revisions.put(revision.revision(), revision);
    }

    /** The revision a {@link EventCodec#MACHINE} record holds. */
    static MachineRevision decodeMachine(byte[] bytes) {
        JsonNode n = EventCodec.read(bytes);
        return new MachineRevision(n.path("revision").asLong(), n.path("arn").asText(), n.path("name").asText(),
                n.path("type").asText(), n.path("roleArn").asText(), n.path("definition").asText(),
                Instant.parse(n.path("creationDate").asText()),
                n.path("updateDate").isTextual() ? Instant.parse(n.path("updateDate").asText()) : null,
                n.path("deleted").asBoolean());
    }

    Collection<MachineRevision> machineRevisions() {
        return revisions.values();
    }

    Optional<MachineRevision> machineRevision(long revision) {
        return Optional.ofNullable(revisions.get(revision));
    }

    /** Stores a document and returns once it is durable; callers serialize their changes. */
    void saveDocument(DocumentKind kind, JsonNode document) {
        if (machinesLog != null) {
            appendDurably(kind.code(), EventCodec.json(document), "the " + kind.name().toLowerCase(Locale.ROOT));
        }
        synchronized (documents) {
            documents.computeIfAbsent(kind, k -> new ArrayList<>()).add(document);
        }
    }

    List<JsonNode> documents(DocumentKind kind) {
        synchronized (documents) {
            return List.copyOf(documents.getOrDefault(kind, List.of()));
        }
    }

    /** Takes what was read back at open; revision numbers go on after the largest. */
    void restored(List<MachineRevision> machines, Map<DocumentKind, List<JsonNode>> restoredDocuments) {
        for (MachineRevision m : machines) {
            revisions.put(m.revision(), m);
        }
        synchronized (documents) {
            documents.putAll(restoredDocuments);
        }
        nextRevision.set(machines.stream().mapToLong(MachineRevision::revision).max().orElse(0) + 1);
    }

    private void appendDurably(byte kind, byte[] body, String what) {
        var durable = new CompletableFuture<Long>();
        machinesLog.tryAppend(kind, body, durable::complete);
        try {
            durable.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new HistoryUnavailableException(what + " could not be stored within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistoryUnavailableException("interrupted before " + what + " was stored");
        }
    }
}
