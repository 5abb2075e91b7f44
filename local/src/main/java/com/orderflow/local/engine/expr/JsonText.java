package com.orderflow.local.engine.expr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** The engine's JSON text form: compact serialization as Step Functions shows payloads, and parsing. */
public final class JsonText {

    public static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // Floats stay exact (BigDecimal) so a payload round-trips through the engine unchanged.
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private JsonText() {
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Compact JSON text, character for character what Jackson writes for the same tree. Written by hand because the
     * engine writes every state's input and output for the history, from short-lived virtual threads on which
     * Jackson's per-thread buffer recycling finds nothing to recycle: this walk is about three times cheaper.
     */
    public static String write(JsonNode node) {
        if (node == null) {
            return "null";
        }
        if (node.isTextual()) {
            var out = new StringBuilder(node.textValue().length() + 2);
            quote(node.textValue(), out);
            return out.toString();
        }
        if (node.isValueNode() && !node.isPojo() && !node.isBinary()) {
            return scalar(node);
        }
        var out = new StringBuilder(128);
        append(node, out);
        return out.toString();
    }

    private static void append(JsonNode node, StringBuilder out) {
        switch (node) {
            case ObjectNode object -> {
                out.append('{');
                boolean first = true;
                for (var field : object.properties()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    quote(field.getKey(), out);
                    out.append(':');
                    append(field.getValue(), out);
                }
                out.append('}');
            }
            case ArrayNode array -> {
                out.append('[');
                for (int i = 0; i < array.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    append(array.get(i), out);
                }
                out.append(']');
            }
            case TextNode text -> quote(text.textValue(), out);
            default -> out.append(node.isPojo() || node.isBinary() ? jackson(node) : scalar(node));
        }
    }

    /** Numbers, booleans and null as Jackson writes them (non-finite doubles quoted, BigDecimal not plain). */
    private static String scalar(JsonNode node) {
        if (node.isNull() || node.isMissingNode()) {
            return "null";
        }
        if (node.isBoolean()) {
            return node.booleanValue() ? "true" : "false";
        }
        if ((node.isDouble() || node.isFloat()) && !Double.isFinite(node.doubleValue())) {
            return "\"" + node.numberValue() + "\"";
        }
        if (node.isNumber()) {
            return node.numberValue().toString();
        }
        return jackson(node);
    }

    private static String jackson(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Appends {@code s} as a JSON string, escaped as {@link #write} escapes it. */
    public static void appendQuoted(String s, StringBuilder out) {
        quote(s, out);
    }

    /** A JSON string: quote and backslash escaped, control characters as Jackson escapes them, the rest as is. */
    private static void quote(String s, StringBuilder out) {
        out.append('"');
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, from, i);
            from = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\f' -> out.append("\\f");
                case '\r' -> out.append("\\r");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(s, from, s.length()).append('"');
    }

    public static JsonNode read(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /** Reads JSON the engine wrote itself (recorded history), so a failure is a bug, not bad input. */
    public static JsonNode readValue(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable recorded JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** UTF-8 byte length without encoding the string. */
    public static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
