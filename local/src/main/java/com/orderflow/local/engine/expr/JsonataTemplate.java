package com.orderflow.local.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A JSONata field's value (Arguments, Output, an Assign block, Items, a Condition, ...): any JSON value in which every
 * string that is a {@code {% ... %}} expression is replaced, at any depth, by what the expression yields. Parsed when
 * the definition is compiled; {@code $states} is built once per evaluation for all of its expressions.
 */
public final class JsonataTemplate extends PayloadTemplate {

    private sealed interface Part permits Literal, Expression, ObjectPart, ArrayPart {
    }

    private record Literal(JsonNode value) implements Part {
    }

    private record Expression(JsonataExpression expression) implements Part {
    }

    private record ObjectPart(List<String> names, List<Part> values) implements Part {
    }

    private record ArrayPart(List<Part> items) implements Part {
    }

    private final Part root;

    private JsonataTemplate(Part root) {
        this.root = root;
    }

    /**
     * Compiles the value of the field {@code field} (as AWS names fields in its causes: {@code Output},
     * {@code Arguments/FunctionName}); IllegalArgumentException ending in {@code " at "} and the pointer below the
     * field when an expression does not parse.
     */
    public static JsonataTemplate compile(JsonNode value, String field) {
        return new JsonataTemplate(part(value, field, ""));
    }

    /** Whether {@code value} is a string holding one expression. */
    public static boolean isExpression(JsonNode value) {
        return value != null && value.isTextual() && JsonataExpression.isExpression(value.textValue());
    }

    private static Part part(JsonNode node, String field, String pointer) {
        if (node.isTextual() && JsonataExpression.isExpression(node.textValue())) {
            try {
                return new Expression(JsonataExpression.parse(node.textValue(), field));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " at " + pointer);
            }
        }
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>(object.size());
            List<Part> values = new ArrayList<>(object.size());
            boolean dynamic = false;
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                Part value = part(e.getValue(), field + "/" + e.getKey(), pointer + "/" + e.getKey());
                names.add(e.getKey());
                values.add(value);
                dynamic |= !(value instanceof Literal);
            }
            return dynamic ? new ObjectPart(List.copyOf(names), List.copyOf(values)) : new Literal(object);
        }
        if (node instanceof ArrayNode array) {
            List<Part> items = new ArrayList<>(array.size());
            boolean dynamic = false;
            for (int i = 0; i < array.size(); i++) {
                Part item = part(array.get(i), field + "/" + i, pointer + "/" + i);
                items.add(item);
                dynamic |= !(item instanceof Literal);
            }
            return dynamic ? new ArrayPart(List.copyOf(items)) : new Literal(array);
        }
        return new Literal(node);
    }

    /** Evaluates every expression with {@code $states} read from {@code scope}. */
    @Override
    public JsonNode evaluate(EvaluationScope scope) {
        if (root instanceof Literal literal) {
            return literal.value();
        }
        return evaluate(root, scope, JsonataExpression.states(scope));
    }

    private static JsonNode evaluate(Part part, EvaluationScope scope, Map<String, Object> states) {
        return switch (part) {
            case Literal literal -> literal.value();
            case Expression e -> e.expression().evaluate(scope, states);
            case ObjectPart object -> {
                ObjectNode out = JsonText.NODES.objectNode();
                for (int i = 0; i < object.names().size(); i++) {
                    out.set(object.names().get(i), evaluate(object.values().get(i), scope, states));
                }
                yield out;
            }
            case ArrayPart array -> {
                ArrayNode out = JsonText.NODES.arrayNode(array.items().size());
                for (Part item : array.items()) {
                    out.add(evaluate(item, scope, states));
                }
                yield out;
            }
        };
    }

    /**
     * The failure for a value of the wrong kind, e.g. Items that is not an array: named after the expression when the
     * whole field is one, otherwise States.QueryEvaluationError naming the field.
     */
    public StateFailure unexpectedType(String field, String expected, JsonNode value) {
        if (root instanceof Expression e) {
            return e.expression().unexpectedType(expected, value);
        }
        return StateFailure.evaluation("The field '" + field + "' must be of type '" + expected + "' but was: "
                + JsonText.write(value), field);
    }
}
