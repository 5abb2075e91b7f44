package com.orderflow.local.engine.expr;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Between Jackson trees and the Maps and Lists the JSONata library reads and builds. Objects and arrays going in
 * are read-only views converted as they are read, so an expression that reads one field of a large input pays for
 * that field only; a view coming back out is its node again.
 */
final class JsonataValues {

    /** Integral doubles up to 2^53 print as JavaScript prints them, without a fraction. */
    private static final double EXACT_INTEGERS = 9007199254740992d;

    private JsonataValues() {
    }

    /** A node as the library reads it; JSON null is the library's null, a missing node undefined. */
    static Object toJsonata(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return null;
        }
        return switch (node.getNodeType()) {
            case OBJECT -> new ObjectView((ObjectNode) node);
            case ARRAY -> new ArrayView((ArrayNode) node);
            case NULL -> Jsonata.NULL_VALUE;
            case BOOLEAN -> node.booleanValue();
            case NUMBER -> node.isIntegralNumber() && node.canConvertToLong() ? (Object) node.longValue() : node.doubleValue();
            case STRING -> node.textValue();
            default -> node.asText();
        };
    }

    /**
     * A library value as a node; null for undefined. Throws IllegalArgumentException for what JSON cannot hold
     * (functions, regexes, non-finite numbers).
     */
    static JsonNode toNode(Object value) {
        if (value == null) {
            return null;
        }
        if (value == Jsonata.NULL_VALUE) {
            return JsonText.NODES.nullNode();
        }
        if (value instanceof ObjectView view) {
            return view.node;
        }
        if (value instanceof ArrayView view) {
            return view.node;
        }
        if (value instanceof String s) {
            return JsonText.NODES.textNode(s);
        }
        if (value instanceof Boolean b) {
            return JsonText.NODES.booleanNode(b);
        }
        if (value instanceof Number n) {
            return number(n);
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = JsonText.NODES.objectNode();
            for (var e : map.entrySet()) {
                JsonNode field = toNode(e.getValue());
                if (field != null) {
                    object.set(String.valueOf(e.getKey()), field);
                }
            }
            return object;
        }
        if (value instanceof List<?> list) {
            ArrayNode array = JsonText.NODES.arrayNode(list.size());
            for (Object item : list) {
                JsonNode element = toNode(item);
                if (element != null) {
                    array.add(element);
                }
            }
            return array;
        }
        throw new IllegalArgumentException("unsupported result type");
    }

    private static JsonNode number(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return JsonText.NODES.numberNode(n.longValue());
        }
        if (n instanceof BigInteger big) {
            return JsonText.NODES.numberNode(big);
        }
        if (n instanceof BigDecimal dec) {
            return JsonText.NODES.numberNode(dec);
        }
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("unsupported result type");
        }
        if (d == Math.rint(d) && Math.abs(d) <= EXACT_INTEGERS) {
            return JsonText.NODES.numberNode((long) d);
        }
        return JsonText.NODES.numberNode(d);
    }

    /** A JSON object as the library's Map, its fields converted when read. */
    private static final class ObjectView extends AbstractMap<String, Object> {
        private final ObjectNode node;

        ObjectView(ObjectNode node) {
            this.node = node;
        }

        @Override
        public Object get(Object key) {
            return key instanceof String name ? toJsonata(node.get(name)) : null;
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String name && node.has(name);
        }

        @Override
        public int size() {
            return node.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    Iterator<Entry<String, JsonNode>> fields = node.properties().iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return fields.hasNext();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            var field = fields.next();
                            return new SimpleImmutableEntry<>(field.getKey(), toJsonata(field.getValue()));
                        }
                    };
                }

                @Override
                public int size() {
                    return node.size();
                }
            };
        }
    }

    /** A JSON array as the library's List, its elements converted when read. */
    private static final class ArrayView extends AbstractList<Object> {
        private final ArrayNode node;

        ArrayView(ArrayNode node) {
            this.node = node;
        }

        @Override
        public Object get(int index) {
            return toJsonata(node.get(index));
        }

        @Override
        public int size() {
            return node.size();
        }
    }
}
