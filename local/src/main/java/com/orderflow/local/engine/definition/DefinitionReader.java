package com.orderflow.local.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.expr.AslPath;
import com.orderflow.local.engine.expr.Intrinsic;
import com.orderflow.local.engine.expr.PayloadTemplate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the fields of a definition's JSON (paths, templates, numbers, names) and collects what is wrong with them
 * as {@code CODE: message at /pointer}, AWS's InvalidDefinition style.
 */
final class DefinitionReader {

    private final List<String> errors = new ArrayList<>();

    List<String> errors() {
        return errors;
    }

    /** An Assign block: an object whose field names are variable names (a trailing .$ takes a path). */
    PayloadTemplate assign(ObjectNode s, String ptr) {
        JsonNode node = s.get("Assign");
        if (node == null) {
            return null;
        }
        if (!(node instanceof ObjectNode object)) {
            error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Assign' must be an OBJECT", ptr + "/Assign");
            return null;
        }
        for (String key : iterable(object.fieldNames())) {
            String name = key.endsWith(".$") ? key.substring(0, key.length() - 2) : key;
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*") || name.equals("states") || name.length() > 80) {
                error("SCHEMA_VALIDATION_FAILED", "The variable name '" + name + "' is not valid",
                        ptr + "/Assign/" + key);
            }
        }
        return template(s, "Assign", ptr);
    }

    PayloadTemplate template(ObjectNode s, String field, String ptr) {
        JsonNode node = s.get(field);
        if (node == null) {
            return null;
        }
        if (!field.equals("Parameters") && !node.isObject()) {
            error("SCHEMA_VALIDATION_FAILED", "The value for the field '" + field + "' must be an OBJECT",
                    ptr + "/" + field);
            return null;
        }
        try {
            return PayloadTemplate.compile(node);
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            int atIdx = msg.lastIndexOf(" at ");
            error("SCHEMA_VALIDATION_FAILED", msg.substring(0, atIdx), ptr + "/" + field + msg.substring(atIdx + 4));
            return null;
        }
    }

    /** A path field: absent is {@code $}; JSON null is null (discard); anything else must be a valid path. */
    AslPath optionalPath(ObjectNode s, String field, String ptr, boolean reference) {
        JsonNode node = s.get(field);
        if (node == null) {
            return AslPath.ROOT;
        }
        if (node.isNull()) {
            return null;
        }
        return path(node, field, ptr + "/" + field, reference);
    }

    AslPath path(JsonNode node, String field, String ptr, boolean reference) {
        return path(node, field, ptr, reference, false);
    }

    AslPath path(JsonNode node, String field, String ptr, boolean reference, boolean allowVariable) {
        if (node.isTextual()) {
            try {
                AslPath p = AslPath.parse(node.textValue());
                if (p.variable() != null && !allowVariable) {
                    throw new IllegalArgumentException("variables are not allowed here");
                }
                if (reference && (!p.isReference() || p.isContext())) {
                    error("SCHEMA_VALIDATION_FAILED", "The value for the field '" + field
                            + "' must be a valid ReferencePath", ptr);
                    return AslPath.ROOT;
                }
                return p;
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        error("SCHEMA_VALIDATION_FAILED", "The value for the field '" + field + "' must be a valid "
                + (reference ? "ReferencePath" : "JSONPath"), ptr);
        return AslPath.ROOT;
    }

    Integer positiveInt(JsonNode node, String field, String ptr, boolean allowZero) {
        if (!node.canConvertToExactIntegral() || !node.isNumber() || node.asLong() < (allowZero ? 0 : 1)
                || node.asLong() > 99999999) {
            error("SCHEMA_VALIDATION_FAILED", "The value for the field '" + field + "' must be "
                    + (allowZero ? "a non-negative" : "a positive") + " integer", ptr + "/" + field);
            return null;
        }
        return node.asInt();
    }

    /** ErrorPath/CausePath: a reference path or an intrinsic function, compiled as a one-field template. */
    PayloadTemplate dynamicPath(JsonNode node, String field, String ptr) {
        if (node.isTextual() && (node.textValue().startsWith("$") || Intrinsic.looksLikeCall(node.textValue()))) {
            try {
                return PayloadTemplate.single(field, node.textValue());
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        error("SCHEMA_VALIDATION_FAILED", "The value for the field '" + field
                + "' must be a valid ReferencePath or a valid intrinsic function call", ptr + "/" + field);
        return null;
    }

    String text(ObjectNode s, String field, String ptr) {
        JsonNode n = s.get(field);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            error("SCHEMA_VALIDATION_FAILED", "The value for the field '" + field + "' must be a STRING",
                    ptr + "/" + field);
            return null;
        }
        return n.textValue();
    }

    void unknownFields(ObjectNode node, Set<String> allowed, String ptr) {
        for (String f : iterable(node.fieldNames())) {
            if (!allowed.contains(f)) {
                error("SCHEMA_VALIDATION_FAILED", "Field '" + f + "' is not supported", at(ptr) + (ptr.isEmpty() ? "" : "/") + f);
            }
        }
    }

    static String at(String ptr) {
        return ptr.isEmpty() ? "/" : ptr;
    }

    void error(String code, String message, String ptr) {
        errors.add(code + ": " + message + " at " + ptr);
    }

    static <T> Iterable<T> iterable(Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
