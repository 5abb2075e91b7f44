package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.expr.AslPath;
import com.orderflow.local.engine.definition.Diagnostics.Code;
import com.orderflow.local.engine.expr.Intrinsic;
import com.orderflow.local.engine.expr.JsonataTemplate;
import com.orderflow.local.engine.expr.PayloadTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Reads the fields of a definition (paths, templates, numbers, texts) and reports what is wrong with them at
 * the field's own site. An absent field is no problem here: whether it is required is the caller's to say.
 */
final class DefinitionReader {

    /** The largest whole number a definition's seconds and attempts fields take. */
    static final int MAX_INTEGER = 99999999;

    private final Diagnostics problems;

    DefinitionReader(Diagnostics problems) {
        this.problems = problems;
    }

    /** An Assign block: an object whose field names are variable names (a trailing .$ takes a path). */
    PayloadTemplate assign(Site assign) {
        if (!assign.isPresent() || !variableNames(assign)) {
            return null;
        }
        return template(assign);
    }

    /** An Assign block in either language: JSONPath's payload template or JSONata's template. */
    PayloadTemplate assign(Site assign, QueryLanguage language) {
        return language == QueryLanguage.JSONATA ? jsonataAssign(assign) : assign(assign);
    }

    /** A JSONata state's Assign block: an object of variable names whose values may hold expressions. */
    JsonataTemplate jsonataAssign(Site assign) {
        if (!assign.isPresent() || !variableNames(assign)) {
            return null;
        }
        return jsonata(assign);
    }

    /** Reports an Assign value that is not an object and variable names AWS refuses; whether it is usable. */
    private boolean variableNames(Site assign) {
        if (!assign.node().isObject()) {
            problems.schema("The value for the field 'Assign' must be an OBJECT", assign);
            return false;
        }
        for (Site variable : assign.fields()) {
            String key = variable.name();
            String name = key.endsWith(".$") ? key.substring(0, key.length() - 2) : key;
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*") || name.equals("states") || name.length() > 80) {
                problems.schema("The variable name '" + name + "' is not valid", variable);
            }
        }
        return true;
    }

    /**
     * A JSONata field's value, any JSON, its {@code {% %}} strings parsed now: null when absent or (reported as
     * INVALID_JSONATA_EXPRESSION at the expression's own pointer) when one does not parse.
     */
    JsonataTemplate jsonata(Site field) {
        if (!field.isPresent()) {
            return null;
        }
        try {
            return JsonataTemplate.compile(field.node(), field.name());
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int at = message.lastIndexOf(" at ");
            problems.within(Code.INVALID_JSONATA_EXPRESSION, message.substring(0, at), field, message.substring(at + 4));
            return null;
        }
    }

    /** A JSONata field that must be an expression when it is a string, e.g. a Wait's Seconds; null when it is not one. */
    JsonataTemplate jsonataIfExpression(Site field) {
        return JsonataTemplate.isExpression(field.node()) ? jsonata(field) : null;
    }

    /** A payload template; only Parameters may be something other than an object. */
    PayloadTemplate template(Site field) {
        if (!field.isPresent()) {
            return null;
        }
        if (!field.name().equals("Parameters") && !field.node().isObject()) {
            problems.schema("The value for the field '" + field.name() + "' must be an OBJECT", field);
            return null;
        }
        try {
            return PayloadTemplate.compile(field.node());
        } catch (IllegalArgumentException e) {
            // PayloadTemplate ends its message with where in the template the problem is
            String message = e.getMessage();
            int at = message.lastIndexOf(" at ");
            problems.schemaWithin(message.substring(0, at), field, message.substring(at + 4));
            return null;
        }
    }

    /** A path field: absent is {@code $}; JSON null is null (discard); anything else must be a valid path. */
    AslPath optionalPath(Site field, boolean reference) {
        if (!field.isPresent()) {
            return AslPath.ROOT;
        }
        if (field.node().isNull()) {
            return null;
        }
        return path(field, reference);
    }

    /** OutputPath: like {@link #optionalPath} for a JSONPath, and it may read a workflow variable ({@code $name.rest}). */
    AslPath optionalPathOrVariable(Site field) {
        if (!field.isPresent()) {
            return AslPath.ROOT;
        }
        return field.node().isNull() ? null : path(field, false, true);
    }

    /** A reference path that may start from a workflow variable ({@code $name.rest}), as ItemsPath may. */
    AslPath optionalReferencePathOrVariable(Site field) {
        if (!field.isPresent()) {
            return AslPath.ROOT;
        }
        return field.node().isNull() ? null : path(field, true, true);
    }

    /** SecondsPath or TimestampPath: a reference path or a workflow variable; null when absent. */
    AslPath referencePathOrVariableIfPresent(Site field) {
        return field.isPresent() ? path(field, true, true) : null;
    }

    /** A reference path such as SecondsPath: null when absent, {@code $} (reported) when invalid. */
    AslPath referencePathIfPresent(Site field) {
        return field.isPresent() ? path(field, true) : null;
    }

    /** A path without workflow variables: {@code $} (reported) when invalid. */
    AslPath path(Site field, boolean reference) {
        return path(field, reference, false);
    }

    /** A JSONPath that may also read a workflow variable ({@code $name.rest}), as a Choice rule's may. */
    AslPath pathOrVariable(Site field) {
        return path(field, false, true);
    }

    private AslPath path(Site field, boolean reference, boolean allowVariable) {
        JsonNode node = field.node();
        if (node.isTextual()) {
            try {
                AslPath p = AslPath.parse(node.textValue());
                if (p.variable() != null && !allowVariable) {
                    throw new IllegalArgumentException("variables are not allowed here");
                }
                boolean oneNode = p.isReference() || (p.variable() != null && p.namesOneNode());
                if (reference && (!oneNode || p.isContext())) {
                    problems.schema("The value for the field '" + field.name() + "' must be a valid ReferencePath", field);
                    return AslPath.ROOT;
                }
                return p;
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        problems.schema("The value for the field '" + field.name() + "' must be a valid "
                + (reference ? "ReferencePath" : "JSONPath"), field);
        return AslPath.ROOT;
    }

    /** A whole number of seconds or attempts, at most 99999999: null when absent or (reported) invalid. */
    Integer positiveInt(Site field, boolean allowZero) {
        if (!field.isPresent()) {
            return null;
        }
        JsonNode node = field.node();
        if (!node.canConvertToExactIntegral() || !node.isNumber() || node.asLong() < (allowZero ? 0 : 1)
                || node.asLong() > MAX_INTEGER) {
            problems.schema("The value for the field '" + field.name() + "' must be "
                    + (allowZero ? "a non-negative" : "a positive") + " integer", field);
            return null;
        }
        return node.asInt();
    }

    /** ErrorPath/CausePath: a reference path or an intrinsic function, compiled as a one-field template. */
    PayloadTemplate dynamicPath(Site field) {
        if (!field.isPresent()) {
            return null;
        }
        JsonNode node = field.node();
        if (node.isTextual() && (node.textValue().startsWith("$") || Intrinsic.looksLikeCall(node.textValue()))) {
            try {
                return PayloadTemplate.single(field.name(), node.textValue());
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        problems.schema("The value for the field '" + field.name()
                + "' must be a valid ReferencePath or a valid intrinsic function call", field);
        return null;
    }

    /** A string field: null when absent or (reported) not a string. */
    String text(Site field) {
        if (!field.isPresent()) {
            return null;
        }
        if (!field.node().isTextual()) {
            problems.schema("The value for the field '" + field.name() + "' must be a STRING", field);
            return null;
        }
        return field.node().textValue();
    }

    /**
     * The language a QueryLanguage field names, {@code otherwise} when absent. As on AWS only the exact
     * {@code JSONPath} is JSONPath; any other value is reported and read as JSONata.
     */
    QueryLanguage queryLanguage(Site field, QueryLanguage otherwise) {
        if (!field.isPresent()) {
            return otherwise;
        }
        var named = QueryLanguage.named(field.node().asText());
        if (named.isEmpty() || !field.node().isTextual()) {
            problems.schema("The value for the field 'QueryLanguage' must be one of [JSONPath, JSONata]", field);
        }
        return named.orElse(QueryLanguage.JSONATA);
    }

    void unknownFields(Site object, Set<String> allowed) {
        for (Site field : object.fields()) {
            if (!allowed.contains(field.name())) {
                problems.schema("Field '" + field.name() + "' is not supported", field);
            }
        }
    }

    /** Reports {@code object} when it has both fields, which exclude each other. */
    void atMostOneOf(Site object, String first, String second) {
        if (object.has(first) && object.has(second)) {
            problems.schema("Only one of the fields '" + first + "' and '" + second + "' may be set", object);
        }
    }
}
