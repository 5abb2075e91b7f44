package com.orderflow.local.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON tree in a compact binary form: a tag per value, varint lengths instead of quotes, strings as UTF-8 with no
 * escaping (history details carry whole JSON documents as strings, which text JSON would escape again), and the
 * field names of history details as one-byte codes. Records in the first form (4-byte lengths, every key spelled
 * out) still read.
 */
final class TreeCodec {

    private static final byte NULL = 0;
    private static final byte TRUE = 1;
    private static final byte FALSE = 2;
    private static final byte LONG = 3;
    private static final byte DOUBLE = 4;
    private static final byte STRING = 5;
    private static final byte ARRAY = 6;
    private static final byte OBJECT = 7;
    private static final byte DECIMAL = 8;
    /** Since the second store format: varint sizes, and an object's keys as dictionary codes where they can be. */
    private static final byte COMPACT_OBJECT = 9;
    private static final byte COMPACT_STRING = 10;
    private static final byte COMPACT_ARRAY = 11;
    // 12 opens an event's details in the engine's compact forms (DetailsCodec.FIELDS), never a tree

    /**
     * The field names of history details, each written as its position + 1 (code 0: the name follows inline).
     * Append only: a record written today must read the same way in every later version.
     */
    private static final List<String> KEYS = List.of("name", "input", "output", "inputDetails", "outputDetails",
            "truncated", "error", "cause", "resource", "resourceType", "parameters", "roleArn", "index", "length",
            "timeoutInSeconds", "heartbeatInSeconds", "assignedVariables", "assignedVariablesDetails",
            "stateEnteredEventDetails", "stateExitedEventDetails", "executionStartedEventDetails",
            "executionSucceededEventDetails", "executionFailedEventDetails", "executionTimedOutEventDetails",
            "executionAbortedEventDetails", "lambdaFunctionScheduledEventDetails", "lambdaFunctionSucceededEventDetails",
            "lambdaFunctionFailedEventDetails", "lambdaFunctionTimedOutEventDetails", "taskScheduledEventDetails",
            "taskStartedEventDetails", "taskSucceededEventDetails", "taskFailedEventDetails", "taskTimedOutEventDetails",
            "mapStateStartedEventDetails", "mapIterationStartedEventDetails", "mapIterationSucceededEventDetails",
            "mapIterationFailedEventDetails", "mapIterationAbortedEventDetails");
    private static final Map<String, Integer> KEY_CODES = new HashMap<>();
    /**
     * The same codes by identity: the engine names details' fields with string literals, the very instances in
     * {@link #KEYS}, so most lookups end at a reference comparison instead of hashing and comparing text.
     */
    private static final IdentityHashMap<String, Integer> KEY_CODES_BY_IDENTITY = new IdentityHashMap<>();

    static {
        for (int i = 0; i < KEYS.size(); i++) {
            KEY_CODES.put(KEYS.get(i), i + 1);
            KEY_CODES_BY_IDENTITY.put(KEYS.get(i), i + 1);
        }
    }

    /** The dictionary code of a field name, or {@code null} when it is spelled out. */
    private static Integer keyCode(String key) {
        Integer code = KEY_CODES_BY_IDENTITY.get(key);
        return code != null ? code : KEY_CODES.get(key);
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TreeCodec() {
    }

    /** A growable byte buffer, big-endian like {@link ByteBuffer}. */
    static final class Out {
        private byte[] bytes;
        private int size;

        Out(int capacity) {
            bytes = new byte[capacity];
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }

        Out put(byte b) {
            ensure(1);
            bytes[size++] = b;
            return this;
        }

        Out putShort(int v) {
            ensure(2);
            bytes[size++] = (byte) (v >> 8);
            bytes[size++] = (byte) v;
            return this;
        }

        Out putInt(int v) {
            ensure(4);
            for (int shift = 24; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (v >> shift);
            }
            return this;
        }

        Out putLong(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[size++] = (byte) (v >> shift);
            }
            return this;
        }

        Out put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, bytes, size, b.length);
            size += b.length;
            return this;
        }

        Out putString(String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            return putInt(utf8.length).put(utf8);
        }

        /** An unsigned LEB128 varint: 1 byte below 128, 2 below 16,384. */
        Out putVarint(int v) {
            ensure(5);
            while ((v & ~0x7F) != 0) {
                bytes[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            bytes[size++] = (byte) v;
            return this;
        }

        /** An unsigned LEB128 varint of a long. */
        Out putVarlong(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                bytes[size++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            bytes[size++] = (byte) v;
            return this;
        }

        /**
         * Puts the varint {@code v} (a length known only once what follows was written) in the two bytes reserved
         * at {@code at}, just before {@code start}; moves what follows when it needs more than two.
         */
        void putVarintBefore(int at, int start, int v) {
            int width = 1;
            for (int rest = v >>> 7; rest != 0; rest >>>= 7) {
                width++;
            }
            int reserved = start - at;
            if (width != reserved) {
                ensure(width - reserved);
                System.arraycopy(bytes, start, bytes, at + width, size - start);
                size += width - reserved;
            }
            int i = at;
            while ((v & ~0x7F) != 0) {
                bytes[i++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            bytes[i] = (byte) v;
        }

        /** Varint UTF-8 length, then the bytes; ASCII (most of a history) is copied without an intermediate array. */
        Out putCompactString(String s) {
            int n = s.length();
            int i = 0;
            while (i < n && s.charAt(i) < 0x80) {
                i++;
            }
            if (i < n) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                return putVarint(utf8.length).put(utf8);
            }
            putVarint(n);
            ensure(n);
            s.getBytes(0, n, bytes, size); // every char is ASCII here: the low byte is the UTF-8 byte
            size += n;
            return this;
        }

        /** The buffer itself: its first {@link #size()} bytes are what was written. */
        byte[] array() {
            return bytes;
        }

        int size() {
            return size;
        }

        /** Overwrites four bytes written earlier (a length known only once what follows is written). */
        void putIntAt(int index, int v) {
            for (int shift = 24, i = index; shift >= 0; shift -= 8, i++) {
                bytes[i] = (byte) (v >> shift);
            }
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, size);
        }
    }

    static void write(JsonNode node, Out out) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                out.put(COMPACT_OBJECT).putVarint(node.size());
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    Integer code = keyCode(e.getKey());
                    if (code != null) {
                        out.putVarint(code);
                    } else {
                        out.putVarint(0).putCompactString(e.getKey());
                    }
                    write(e.getValue(), out);
                }
            }
            case ARRAY -> {
                out.put(COMPACT_ARRAY).putVarint(node.size());
                for (JsonNode item : node) {
                    write(item, out);
                }
            }
            case STRING -> out.put(COMPACT_STRING).putCompactString(node.textValue());
            case BOOLEAN -> out.put(node.booleanValue() ? TRUE : FALSE);
            case NUMBER -> {
                if (node.canConvertToExactIntegral() && node.canConvertToLong() && node.isIntegralNumber()) {
                    out.put(LONG).putLong(node.longValue());
                } else if (node.isDouble() || node.isFloat()) {
                    out.put(DOUBLE).putLong(Double.doubleToRawLongBits(node.doubleValue()));
                } else {
                    out.put(DECIMAL).putString(node.decimalValue().toString());
                }
            }
            default -> out.put(NULL);
        }
    }

    static JsonNode read(ByteBuffer in) {
        byte tag = in.get();
        return switch (tag) {
            case OBJECT -> {
                int n = in.getInt();
                ObjectNode object = NODES.objectNode();
                for (int i = 0; i < n; i++) {
                    String key = string(in);
                    object.set(key, read(in));
                }
                yield object;
            }
            case ARRAY -> {
                int n = in.getInt();
                ArrayNode array = NODES.arrayNode(n);
                for (int i = 0; i < n; i++) {
                    array.add(read(in));
                }
                yield array;
            }
            case STRING -> NODES.textNode(string(in));
            case COMPACT_OBJECT -> {
                int n = varint(in);
                ObjectNode object = NODES.objectNode();
                for (int i = 0; i < n; i++) {
                    int code = varint(in);
                    String key = code == 0 ? string(in, varint(in)) : KEYS.get(code - 1);
                    object.set(key, read(in));
                }
                yield object;
            }
            case COMPACT_ARRAY -> {
                int n = varint(in);
                ArrayNode array = NODES.arrayNode(n);
                for (int i = 0; i < n; i++) {
                    array.add(read(in));
                }
                yield array;
            }
            case COMPACT_STRING -> NODES.textNode(string(in, varint(in)));
            case TRUE -> NODES.booleanNode(true);
            case FALSE -> NODES.booleanNode(false);
            case LONG -> {
                long v = in.getLong();
                yield v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
            }
            case DOUBLE -> NODES.numberNode(Double.longBitsToDouble(in.getLong()));
            case DECIMAL -> NODES.numberNode(new BigDecimal(string(in)));
            case NULL -> NODES.nullNode();
            default -> throw new IllegalStateException("unknown value tag " + tag + " in the execution store");
        };
    }

    static long varlong(ByteBuffer in) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
            if (shift == 63) {
                throw new IllegalStateException("a varint longer than 10 bytes in the execution store");
            }
        }
    }

    static int varint(ByteBuffer in) {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            v |= (b & 0x7F) << shift;
            if (b >= 0) {
                return v;
            }
            if (shift == 28) {
                throw new IllegalStateException("a varint longer than 5 bytes in the execution store");
            }
        }
    }

    private static String string(ByteBuffer in) {
        return string(in, in.getInt());
    }

    static String string(ByteBuffer in, int length) {
        String s;
        if (in.hasArray()) {
            s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        } else {
            byte[] bytes = new byte[length];
            in.get(in.position(), bytes);
            s = new String(bytes, StandardCharsets.UTF_8);
        }
        in.position(in.position() + length);
        return s;
    }
}
