package com.orderflow.local.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.EventDetails;
import com.orderflow.local.engine.EventDetails.MapIteration;
import java.nio.ByteBuffer;

/**
 * An event's details in a record. The engine's compact forms ({@link EventDetails}) are written field by field after
 * the tag {@link #FIELDS} and a byte naming the form: no tree is built to write them, none to read them back, and
 * their constant parts (field names, {@code "truncated": false}) take no bytes. Any other details, and every record
 * written before this form, are a {@link TreeCodec} tree, whose tags are all below {@link #FIELDS}.
 */
final class DetailsCodec {

    /** The first byte of compact details: one past TreeCodec's last tag. */
    static final byte FIELDS = 12;

    /** The forms by code; append only, as a record written today must read the same way in every later version. */
    private static final byte NONE = 0;
    private static final byte STATE_ENTERED = 1;
    private static final byte STATE_EXITED = 2;
    private static final byte EXECUTION_STARTED = 3;
    private static final byte EXECUTION_SUCCEEDED = 4;
    private static final byte LAMBDA_SCHEDULED = 5;
    private static final byte LAMBDA_SUCCEEDED = 6;
    private static final byte MAP_STARTED = 7;
    private static final byte MAP_ITERATION = 8;

    private static final MapIteration.Stage[] STAGES = MapIteration.Stage.values();

    private DetailsCodec() {
    }

    static void write(EventDetails details, TreeCodec.Out out) {
        switch (details) {
            case EventDetails.Tree t -> TreeCodec.write(t.node(), out);
            case EventDetails.None n -> out.put(FIELDS).put(NONE);
            case EventDetails.StateEntered e -> out.put(FIELDS).put(STATE_ENTERED)
                    .putCompactString(e.name()).putCompactString(e.input());
            case EventDetails.StateExited e -> out.put(FIELDS).put(STATE_EXITED)
                    .putCompactString(e.name()).putCompactString(e.output());
            case EventDetails.ExecutionStarted e -> optional(out.put(FIELDS).put(EXECUTION_STARTED)
                    .putCompactString(e.input()), e.roleArn());
            case EventDetails.ExecutionSucceeded e -> out.put(FIELDS).put(EXECUTION_SUCCEEDED)
                    .putCompactString(e.output());
            case EventDetails.LambdaScheduled e -> out.put(FIELDS).put(LAMBDA_SCHEDULED).putCompactString(e.resource())
                    .putCompactString(e.input()).putVarint(e.timeoutInSeconds() == null ? 0 : e.timeoutInSeconds() + 1);
            case EventDetails.LambdaSucceeded e -> out.put(FIELDS).put(LAMBDA_SUCCEEDED).putCompactString(e.output());
            case EventDetails.MapStarted e -> out.put(FIELDS).put(MAP_STARTED).putVarint(e.length());
            case EventDetails.MapIteration e -> out.put(FIELDS).put(MAP_ITERATION).put((byte) e.stage().ordinal())
                    .putCompactString(e.name()).putVarint(e.index());
        }
    }

    /** Details written by {@link #write}, or a tree from a record written before the compact forms. */
    static EventDetails read(ByteBuffer in) {
        if (in.get(in.position()) != FIELDS) {
            JsonNode tree = TreeCodec.read(in);
            return new EventDetails.Tree((ObjectNode) tree);
        }
        in.get();
        byte form = in.get();
        return switch (form) {
            case NONE -> EventDetails.NONE;
            case STATE_ENTERED -> new EventDetails.StateEntered(string(in), string(in));
            case STATE_EXITED -> new EventDetails.StateExited(string(in), string(in));
            case EXECUTION_STARTED -> new EventDetails.ExecutionStarted(string(in), optional(in));
            case EXECUTION_SUCCEEDED -> new EventDetails.ExecutionSucceeded(string(in));
            case LAMBDA_SCHEDULED -> {
                String resource = string(in);
                String input = string(in);
                int timeout = TreeCodec.varint(in);
                yield new EventDetails.LambdaScheduled(resource, input, timeout == 0 ? null : timeout - 1);
            }
            case LAMBDA_SUCCEEDED -> new EventDetails.LambdaSucceeded(string(in));
            case MAP_STARTED -> new EventDetails.MapStarted(TreeCodec.varint(in));
            case MAP_ITERATION -> {
                int stage = in.get();
                if (stage < 0 || stage >= STAGES.length) {
                    throw new IllegalStateException("unknown Map iteration stage " + stage + " in the execution store");
                }
                yield new EventDetails.MapIteration(STAGES[stage], string(in), TreeCodec.varint(in));
            }
            default -> throw new IllegalStateException("unknown details form " + form + " in the execution store");
        };
    }

    /** A string that may be absent: a byte 0, or 1 and the string. */
    private static void optional(TreeCodec.Out out, String value) {
        if (value == null) {
            out.put((byte) 0);
        } else {
            out.put((byte) 1).putCompactString(value);
        }
    }

    private static String optional(ByteBuffer in) {
        return in.get() == 0 ? null : string(in);
    }

    private static String string(ByteBuffer in) {
        return TreeCodec.string(in, TreeCodec.varint(in));
    }
}
