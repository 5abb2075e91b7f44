package com.orderflow.local.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.local.store.WorkflowStore.DocumentKind;
import com.orderflow.local.store.WorkflowStore.MachineRevision;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the logs held, collected while they are read at open, then handed to the store that opened them. */
final class StoreRestore {

    private final List<MachineRevision> machines = new ArrayList<>();
    private final Map<DocumentKind, List<JsonNode>> documents = new EnumMap<>(DocumentKind.class);
    private final Map<Long, StoredExecution> byKey = new HashMap<>();
    private final List<StoredExecution> order = new ArrayList<>();
    private long maxKey;

    /** Sees one record of the machines log. */
    void machine(long location, byte kind, ByteBuffer body) {
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        for (DocumentKind document : DocumentKind.values()) {
            if (document.code() == kind) {
                documents.computeIfAbsent(document, k -> new ArrayList<>()).add(EventCodec.read(bytes));
                return;
            }
        }
        if (kind == EventCodec.MACHINE) {
            machines.add(MachineCatalog.decodeMachine(bytes));
        }
    }

    /** Sees one record of the executions log. */
    void execution(long location, byte kind, ByteBuffer body) {
        if (kind == EventCodec.START) {
            started(location, body);
        } else if (kind == EventCodec.EVENT) {
            EventCodec.Header header = EventCodec.header(body);
            StoredExecution e = byKey.get(header.execution());
            if (e != null) {
                e.restored(header, location);
            }
            // no start: the execution's first segment was dropped by retention
        } else if (kind == EventCodec.EVENT_RUN || kind == EventCodec.EVENTS) {
            java.util.function.Consumer<EventCodec.Header> restore = header -> {
                StoredExecution e = byKey.get(header.execution());
                if (e != null) {
                    e.restored(header, location);
                }
            };
            if (kind == EventCodec.EVENT_RUN) {
                EventCodec.runHeaders(body, restore);
            } else {
                EventCodec.headers(body, restore); // written before EVENT_RUN
            }
        } else if (kind == EventCodec.HEARTBEAT) {
            StoredExecution e = byKey.get(body.getLong());
            int taskEventId = body.getInt();
            Instant at = instantOfMicros(body.getLong());
            if (e != null) {
                e.restoredHeartbeat(taskEventId, at);
            }
        } else if (kind == EventCodec.RESUMED) {
            StoredExecution e = byKey.get(body.getLong());
            int before = body.getInt();
            Instant at = instantOfMicros(body.getLong());
            if (e != null) {
                e.restoredResume(before, at);
            }
        }
    }

    private void started(long location, ByteBuffer body) {
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
    }

    /** Hands everything read back to the store's catalog and index. */
    void into(WorkflowStore store, MachineCatalog catalog, ExecutionIndex index) {
        catalog.restored(machines, documents);
        index.keysAfter(maxKey);
        for (StoredExecution e : order) {
            index.restored(e.bind(store));
        }
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isTextual() ? node.path(field).asText() : null;
    }

    static Instant instantOfMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }
}
