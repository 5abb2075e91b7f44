package com.orderflow.local.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled ASL path ({@code $...} on the state data or {@code $$...} on the context object).
 * Reference paths (fields and indexes only) are walked directly; anything else goes through
 * json-path, whose semantics AWS uses.
 */
public final class AslPath {

    private static final Configuration JSONPATH = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(JsonText.mapper()))
            .mappingProvider(new JacksonMappingProvider(JsonText.mapper()))
            .build();

    public static final AslPath ROOT = new AslPath("$", false, new Object[0], null);

    private static final java.util.regex.Pattern VARIABLE = java.util.regex.Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)(.*)");

    private final String text;
    private final boolean context;
    /** For {@code $name...}: the workflow variable the rest of the path reads from. */
    private String variable;
    /** Field names (String) and indexes (Integer) of a reference path; null for other JSONPaths. */
    private final Object[] segments;
    private final JsonPath compiled;

    private AslPath(String text, boolean context, Object[] segments, JsonPath compiled) {
        this.text = text;
        this.context = context;
        this.segments = segments;
        this.compiled = compiled;
    }

    /** Compiles a path; throws IllegalArgumentException when it is not a valid JSONPath. */
    public static AslPath parse(String text) {
        if (text == null || !text.startsWith("$")) {
            throw new IllegalArgumentException("path must start with '$': " + text);
        }
        boolean context = text.startsWith("$$");
        String body = context ? text.substring(1) : text;
        String variable = null;
        var m = VARIABLE.matcher(text);
        if (!context && m.matches()) {
            variable = m.group(1);
            body = "$" + m.group(2);
        }
        if (!balanced(body) || body.endsWith(".")) {
            throw new IllegalArgumentException("invalid JSONPath " + text);
        }
        Object[] segments = referenceSegments(body);
        JsonPath compiled;
        try {
            compiled = JsonPath.compile(body);
        } catch (InvalidPathException | IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid JSONPath " + text + ": " + e.getMessage(), e);
        }
        AslPath path;
        if (segments == null && compiled.isDefinite()) {
            // Definite but not a plain reference (e.g. negative index): json-path reads it.
            path = new AslPath(text, context, null, compiled);
        } else {
            path = new AslPath(text, context, segments, segments == null ? compiled : null);
        }
        path.variable = variable;
        return path;
    }

    /** The workflow variable a {@code $name.rest} path starts from, or null. */
    public String variable() {
        return variable;
    }

    /** What this path reads from in {@code scope}: the context object, a variable or the state data. */
    JsonNode rootIn(EvaluationScope scope) {
        if (context) {
            return scope.context();
        }
        if (variable != null) {
            return scope.variable(variable);
        }
        return scope.input();
    }

    /** Reads the path within {@code scope}; null when nothing is there (or the variable is unset). */
    public JsonNode readIn(EvaluationScope scope) {
        JsonNode root = rootIn(scope);
        return root == null ? null : read(root);
    }

    public String text() {
        return text;
    }

    private String body() {
        if (context) {
            return text.substring(1);
        }
        return variable == null ? text : "$" + text.substring(1 + variable.length());
    }

    /** json-path's explanation of why nothing is at this path in {@code root}, as AWS quotes it. */
    public String whyMissing(JsonNode root) {
        try {
            JsonPath.compile(body()).read(root, JSONPATH);
        } catch (PathNotFoundException e) {
            return e.getMessage();
        } catch (RuntimeException e) {
            // fall through to the generic text
        }
        return "No results for path: " + canonical();
    }

    /** json-path's bracket form, e.g. {@code $['a']['b']}, as AWS prints it in "No results for path". */
    String canonical() {
        try {
            return JsonPath.compile(body()).getPath();
        } catch (RuntimeException e) {
            return text;
        }
    }

    public boolean isContext() {
        return context;
    }

    public boolean isRoot() {
        return segments != null && segments.length == 0 && variable == null;
    }

    /** A Reference Path: only field names and array indexes, so it names exactly one node. */
    public boolean isReference() {
        return segments != null && variable == null;
    }

    /** Whether the path, after its variable if it has one, is only field names and array indexes. */
    public boolean namesOneNode() {
        return segments != null;
    }

    /** Whether reading yields a single node (otherwise an array of matches). */
    boolean isDefinite() {
        return segments != null || compiled.isDefinite();
    }

    /** The value at this path, or null when nothing is there (a JSON null is a NullNode). */
    public JsonNode read(JsonNode root) {
        if (segments != null) {
            JsonNode node = root;
            for (Object segment : segments) {
                if (segment instanceof String name) {
                    if (!(node instanceof ObjectNode object)) {
                        return null;
                    }
                    node = object.get(name);
                } else {
                    int index = (Integer) segment;
                    if (!(node instanceof ArrayNode array) || index >= array.size()) {
                        return null;
                    }
                    node = array.get(index);
                }
                if (node == null) {
                    return null;
                }
            }
            return node;
        }
        try {
            Object result = compiled.read(root, JSONPATH);
            if (result == null) {
                return JsonText.NODES.nullNode();
            }
            return result instanceof JsonNode node ? node : JsonText.mapper().valueToTree(result);
        } catch (PathNotFoundException e) {
            return null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Returns a copy of {@code root} with {@code value} placed at this reference path, creating
     * missing objects on the way; null when the input's shape does not allow it. Only the nodes on
     * the path are copied: engine payloads are never mutated after they are built.
     */
    public JsonNode set(JsonNode root, JsonNode value) {
        if (segments.length == 0) {
            return value;
        }
        return setAt(root, 0, value);
    }

    private JsonNode setAt(JsonNode node, int i, JsonNode value) {
        if (i == segments.length) {
            return value;
        }
        Object segment = segments[i];
        if (segment instanceof String name) {
            ObjectNode copy;
            if (node instanceof ObjectNode object) {
                copy = JsonText.NODES.objectNode();
                copy.setAll(object);
            } else if (node == null || (i > 0 && node.isNull())) {
                copy = JsonText.NODES.objectNode();
            } else {
                return null;
            }
            JsonNode child = setAt(copy.get(name), i + 1, value);
            if (child == null) {
                return null;
            }
            copy.set(name, child);
            return copy;
        }
        int index = (Integer) segment;
        if (!(node instanceof ArrayNode array) || index >= array.size()) {
            return null;
        }
        JsonNode child = setAt(array.get(index), i + 1, value);
        if (child == null) {
            return null;
        }
        ArrayNode copy = JsonText.NODES.arrayNode(array.size());
        for (int k = 0; k < array.size(); k++) {
            copy.add(k == index ? child : array.get(k));
        }
        return copy;
    }

    /** Brackets and parentheses close in order outside quoted names (json-path alone accepts {@code $.a[}). */
    private static boolean balanced(String body) {
        var open = new ArrayDeque<Character>();
        char quote = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '[' || c == '(') {
                open.push(c);
            } else if (c == ']' || c == ')') {
                if (open.isEmpty() || open.pop() != (c == ']' ? '[' : '(')) {
                    return false;
                }
            }
        }
        return open.isEmpty() && quote == 0;
    }

    /** The segments of a plain reference path such as {@code $.a.b[0]['c d']}, or null. */
    private static Object[] referenceSegments(String body) {
        List<Object> out = new ArrayList<>();
        int i = 1;
        int n = body.length();
        while (i < n) {
            char c = body.charAt(i);
            if (c == '.') {
                int start = ++i;
                while (i < n && body.charAt(i) != '.' && body.charAt(i) != '[') {
                    i++;
                }
                String name = body.substring(start, i);
                if (name.isEmpty() || name.equals("*") || name.contains("(") || name.isBlank()) {
                    return null;
                }
                out.add(name);
            } else if (c == '[') {
                int close = body.indexOf(']', i);
                if (close < 0) {
                    return null;
                }
                String inner = body.substring(i + 1, close);
                if (inner.length() >= 2 && (inner.charAt(0) == '\'' || inner.charAt(0) == '"')
                        && inner.charAt(inner.length() - 1) == inner.charAt(0)) {
                    String name = inner.substring(1, inner.length() - 1);
                    if (name.indexOf(inner.charAt(0)) >= 0 || name.indexOf('\\') >= 0) {
                        return null;
                    }
                    out.add(name);
                } else if (!inner.isEmpty() && inner.chars().allMatch(Character::isDigit) && inner.length() < 10) {
                    out.add(Integer.parseInt(inner));
                } else {
                    return null;
                }
                i = close + 1;
            } else {
                return null;
            }
        }
        return out.toArray();
    }

    @Override
    public String toString() {
        return text;
    }
}
