package com.orderflow.local.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderflow.json.Json;
import com.orderflow.local.engine.EventDetails;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.expr.JsonText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The byte layout of the store's records. An event: {@code long execution, int id, int previous,
 * long epochMicros, byte type (0 = name follows), [short length, name], details ({@link DetailsCodec})}. A start record
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
    /**
     * What {@link #EVENTS} holds in about a quarter fewer bytes: {@code long execution, varint count, long epochMicros
     * of the first}, then {@code count} times {@code varint length, event} where an event is {@code varint id, varint
     * id - previous, zigzag varint micros since the first, byte type, [short length, name], details}. The execution
     * is not repeated per event, and small numbers take a byte: fewer bytes to copy, checksum, write and fsync.
     */
    static final byte EVENT_RUN = 12;

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
    /** The same codes by identity: the engine's event types are interned, the instances in {@link #TYPES}. */
    private static final IdentityHashMap<String, Byte> CODES_BY_IDENTITY = new IdentityHashMap<>();

    static {
        for (int i = 1; i < TYPES.size(); i++) {
            CODES.put(TYPES.get(i), (byte) i);
            CODES_BY_IDENTITY.put(TYPES.get(i), (byte) i);
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

    static TreeCodec.Out start(long execution, byte[] meta, HistoryEvent event) {
        return event(execution, event, meta);
    }

    /**
     * The execution JSON at the front of a start record, written straight from its fields: the text a tree of them
     * would give, without building the tree for every start.
     */
    static byte[] executionMeta(StoredExecution e) {
        var out = new StringBuilder(512);
        out.append('{');
        field(out, "executionArn", e.executionArn()).append(',');
        field(out, "name", e.name()).append(',');
        field(out, "stateMachineArn", e.stateMachineArn()).append(',');
        field(out, "stateMachineName", e.stateMachineName()).append(',');
        out.append("\"revision\":").append(e.revision()).append(',');
        field(out, "startDate", e.startDate().toString()).append(',');
        field(out, "testCase", e.testCase()).append(',');
        field(out, "versionArn", e.versionArn()).append(',');
        field(out, "aliasArn", e.aliasArn()).append(',');
        field(out, "mapRunArn", e.mapRunArn());
        return out.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder field(StringBuilder out, String name, String value) {
        out.append('"').append(name).append("\":");
        if (value == null) {
            return out.append("null");
        }
        JsonText.appendQuoted(value, out);
        return out;
    }

    static TreeCodec.Out events(long execution, List<HistoryEvent> events) {
        var out = new TreeCodec.Out(192 * events.size() + 12);
        out.putLong(execution).putInt(events.size());
        for (HistoryEvent event : events) {
            int at = out.size();
            out.putInt(0);
            writeEvent(out, execution, event);
            out.putIntAt(at, out.size() - at - 4);
        }
        return out;
    }

    /**
     * Bytes an event of a run took of late (a running average): a run's buffer is sized from it with a quarter to
     * spare, since growing it copies what was written (a workflow whose events carry kilobytes of input and output
     * spent 7 % of the stack's allocation on those copies with a fixed 160 bytes an event). Racy on purpose: any
     * recent figure will do.
     */
    private static volatile int bytesPerEvent = 160;

    /** A run of events of one execution as an {@link #EVENT_RUN} record. */
    static TreeCodec.Out eventRun(long execution, List<HistoryEvent> events) {
        int expected = bytesPerEvent * events.size();
        var out = new TreeCodec.Out(expected + (expected >> 2) + 24);
        long firstMicros = micros(events.getFirst().timestamp());
        out.putLong(execution).putVarint(events.size()).putLong(firstMicros);
        for (HistoryEvent event : events) {
            int at = out.size();
            out.put((byte) 0).put((byte) 0); // room for a length of up to 16,383 bytes, the common case
            int start = out.size();
            out.putVarint((int) event.id()).putVarint((int) (event.id() - event.previousEventId()))
                    .putVarlong(zigzag(micros(event.timestamp()) - firstMicros));
            writeTypeAndDetails(out, event);
            out.putVarintBefore(at, start, out.size() - start);
        }
        int average = bytesPerEvent;
        bytesPerEvent = Math.max(64, (average * 7 + out.size() / events.size()) / 8);
        return out;
    }

    /** Every event of an {@link #EVENT_RUN} record, in order. */
    static List<HistoryEvent> decodeRun(ByteBuffer body) {
        var events = new java.util.ArrayList<HistoryEvent>();
        runEvents(body, (header, event) -> {
            EventDetails details = event.hasRemaining() ? DetailsCodec.read(event) : null;
            events.add(HistoryEvent.of(header.id(), header.previous(), header.timestamp(), header.type(), details));
        });
        return events;
    }

    /** The header of each event of an {@link #EVENT_RUN} record, in order. */
    static void runHeaders(ByteBuffer body, java.util.function.Consumer<Header> each) {
        runEvents(body, (header, event) -> each.accept(header));
    }

    private static void runEvents(ByteBuffer body, java.util.function.BiConsumer<Header, ByteBuffer> each) {
        long execution = body.getLong();
        int count = TreeCodec.varint(body);
        long firstMicros = body.getLong();
        for (int i = 0; i < count; i++) {
            int length = TreeCodec.varint(body);
            ByteBuffer event = body.slice(body.position(), length);
            body.position(body.position() + length);
            int id = TreeCodec.varint(event);
            int previous = id - TreeCodec.varint(event);
            long at = firstMicros + unzigzag(TreeCodec.varlong(event));
            each.accept(new Header(execution, id, previous, instantOf(at), type(event)), event);
        }
    }

    private static long micros(Instant at) {
        return at.getEpochSecond() * 1_000_000 + at.getNano() / 1_000;
    }

    private static Instant instantOf(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1_000L);
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
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
        out.putLong(execution).putInt((int) event.id()).putInt((int) event.previousEventId())
                .putLong(micros(event.timestamp()));
        writeTypeAndDetails(out, event);
    }

    private static void writeTypeAndDetails(TreeCodec.Out out, HistoryEvent event) {
        Byte code = CODES_BY_IDENTITY.get(event.type());
        if (code == null) {
            code = CODES.get(event.type());
        }
        out.put(code == null ? 0 : code);
        if (code == null) {
            byte[] name = event.type().getBytes(StandardCharsets.UTF_8);
            out.putShort(name.length).put(name);
        }
        if (event.content() != null) {
            DetailsCodec.write(event.content(), out);
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
        return new Header(execution, id, previous, instantOf(micros), type(body));
    }

    /** An event's type: its one-byte code, or 0 and its name. */
    private static String type(ByteBuffer body) {
        int code = body.get();
        if (code != 0) {
            return TYPES.get(code);
        }
        byte[] name = new byte[body.getShort()];
        body.get(name);
        return new String(name, StandardCharsets.UTF_8);
    }

    /** A whole event from a start or event record. */
    static HistoryEvent decode(byte kind, ByteBuffer body) {
        if (kind == START) {
            body.position(body.position() + 4 + body.getInt(body.position()));
        }
        Header h = header(body);
        EventDetails details = body.hasRemaining() ? DetailsCodec.read(body) : null;
        return HistoryEvent.of(h.id(), h.previous(), h.timestamp(), h.type(), details);
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
