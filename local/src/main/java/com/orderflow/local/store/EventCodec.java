package com.orderflow.local.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderflow.json.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.expr.JsonText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The byte layout of the store's records. An event: {@code long execution, int id, int previous,
 * long epochMicros, byte type (0 = name follows), [short length, name], details ({@link TreeCodec})}. A start record
 * is {@code int length, execution JSON} followed by its ExecutionStarted event.
 */
final class EventCodec {

    static final byte START = 1;
    static final byte EVENT = 2;
    static final byte MACHINE = 3;
    /** {@code long execution, int first new event id, long epochMicros}: the engine resumed it after a restart. */
    static final byte RESUMED = 4;
    /**
     * {@code long execution, int count}, then {@code count} times {@code int length, event}: the events an execution
     * recorded between two waits, one record, one frame and one acknowledgement for all.
     */
    static final byte EVENTS = 5;
    /** A state machine version, JSON ({@link WorkflowStore.DocumentKind#VERSION}). */
    static final byte VERSION = 6;
    /** A state machine alias, JSON. */
    static final byte ALIAS = 7;
    /** One resource's tags, JSON. */
    static final byte TAGS = 8;
    /** {@code long execution, int task's started event id, long epochMicros}: a worker's heartbeat for that task. */
    static final byte HEARTBEAT = 9;
    /** An activity, JSON ({@link WorkflowStore.DocumentKind#ACTIVITY}). */
    static final byte ACTIVITY = 10;
    /** A Distributed Map's Map Run as it started, JSON ({@link WorkflowStore.DocumentKind#MAP_RUN}). */
    static final byte MAP_RUN = 11;

    /** The project's one configured mapper, for the small JSON parts (state machines, execution metadata). */
    static final ObjectMapper MAPPER = Json.mapper();

    /** The common event types get one byte; any other is written by name. */
    private static final List<String> TYPES = List.of("", "ExecutionStarted", "ExecutionSucceeded", "ExecutionFailed",
            "ExecutionTimedOut", "ExecutionAborted", "PassStateEntered", "PassStateExited", "TaskStateEntered",
            "TaskStateExited", "ChoiceStateEntered", "ChoiceStateExited", "WaitStateEntered", "WaitStateExited",
            "SucceedStateEntered", "SucceedStateExited", "FailStateEntered", "ParallelStateEntered",
            "ParallelStateExited", "ParallelStateStarted", "ParallelStateSucceeded", "ParallelStateFailed",
            "MapStateEntered", "MapStateExited", "MapStateStarted", "MapStateSucceeded", "MapStateFailed",
            "MapIterationStarted", "MapIterationSucceeded", "MapIterationFailed", "MapIterationAborted",
            "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "LambdaFunctionFailed",
            "LambdaFunctionTimedOut", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskFailed", "TaskTimedOut");
    private static final Map<String, Byte> CODES = new HashMap<>();

    static {
        for (int i = 1; i < TYPES.size(); i++) {
            CODES.put(TYPES.get(i), (byte) i);
        }
    }

    private EventCodec() {
    }

    /** The header of an event record, read without its details. */
    record Header(long execution, int id, int previous, Instant timestamp, String type) {
        boolean terminal() {
            return StoredExecution.statusOf(type) != com.orderflow.local.engine.ExecutionStatus.RUNNING;
        }
    }

    static TreeCodec.Out event(long execution, HistoryEvent event) {
        return event(execution, event, null);
    }

    static TreeCodec.Out start(long execution, JsonNode meta, HistoryEvent event) {
        return event(execution, event, json(meta));
    }

    static TreeCodec.Out events(long execution, List<HistoryEvent> events) {
        var out = new TreeCodec.Out(128 * events.size() + 12);
        out.putLong(execution).putInt(events.size());
        for (HistoryEvent event : events) {
            int at = out.size();
            out.putInt(0);
            writeEvent(out, execution, event);
            out.putIntAt(at, out.size() - at - 4);
        }
        return out;
    }

    /** Every event of an {@link #EVENTS} record, in order. */
    static List<HistoryEvent> decodeAll(ByteBuffer body) {
        body.getLong();
        int count = body.getInt();
        var events = new java.util.ArrayList<HistoryEvent>(count);
        for (int i = 0; i < count; i++) {
            int length = body.getInt();
            events.add(decode(EVENT, body.slice(body.position(), length)));
            body.position(body.position() + length);
        }
        return events;
    }

    /** The header of each event of an {@link #EVENTS} record, in order. */
    static void headers(ByteBuffer body, java.util.function.Consumer<Header> each) {
        body.getLong();
        int count = body.getInt();
        for (int i = 0; i < count; i++) {
            int length = body.getInt();
            each.accept(header(body.slice(body.position(), length)));
            body.position(body.position() + length);
        }
    }

    private static TreeCodec.Out event(long execution, HistoryEvent event, byte[] meta) {
        var out = new TreeCodec.Out(256);
        if (meta != null) {
            out.putInt(meta.length).put(meta);
        }
        writeEvent(out, execution, event);
        return out;
    }

    private static void writeEvent(TreeCodec.Out out, long execution, HistoryEvent event) {
        Instant at = event.timestamp();
        Byte code = CODES.get(event.type());
        out.putLong(execution).putInt((int) event.id()).putInt((int) event.previousEventId())
                .putLong(at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000)
                .put(code == null ? 0 : code);
        if (code == null) {
            byte[] name = event.type().getBytes(StandardCharsets.UTF_8);
            out.putShort(name.length).put(name);
        }
        if (event.details() != null) {
            TreeCodec.write(event.details(), out);
        }
    }

    /** The execution JSON at the front of a start record; leaves the buffer at its event. */
    static JsonNode startMeta(ByteBuffer body) {
        int length = body.getInt();
        byte[] meta = new byte[length];
        body.get(meta);
        return read(meta);
    }

    /** Reads an event's header; leaves the buffer at its details. */
    static Header header(ByteBuffer body) {
        long execution = body.getLong();
        int id = body.getInt();
        int previous = body.getInt();
        long micros = body.getLong();
        int code = body.get();
        String type;
        if (code == 0) {
            byte[] name = new byte[body.getShort()];
            body.get(name);
            type = new String(name, StandardCharsets.UTF_8);
        } else {
            type = TYPES.get(code);
        }
        return new Header(execution, id, previous,
                Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L), type);
    }

    /** A whole event from a start or event record. */
    static HistoryEvent decode(byte kind, ByteBuffer body) {
        if (kind == START) {
            body.position(body.position() + 4 + body.getInt(body.position()));
        }
        Header h = header(body);
        ObjectNode details = body.hasRemaining() ? (ObjectNode) TreeCodec.read(body) : null;
        return new HistoryEvent(h.id(), h.previous(), h.timestamp(), h.type(), details);
    }

    /** UTF-8 JSON of a record's metadata, by the engine's own writer (the same text, a fraction of the work). */
    static byte[] json(JsonNode node) {
        return JsonText.write(node).getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode read(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable record in the execution store", e);
        }
    }
}
