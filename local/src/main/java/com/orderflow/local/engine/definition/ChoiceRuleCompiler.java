package com.orderflow.local.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.expr.AslPath;
import java.util.ArrayList;
import java.util.List;

/** Compiles a Choice state's rules (comparisons, And/Or/Not, Condition paths and variables). */
final class ChoiceRuleCompiler {

    private final DefinitionReader reader;

    ChoiceRuleCompiler(DefinitionReader reader) {
        this.reader = reader;
    }

    ChoiceRule rule(JsonNode node, String ptr, boolean top) {
        if (!(node instanceof ObjectNode c)) {
            reader.error("SCHEMA_VALIDATION_FAILED", "A choice rule must be an OBJECT", ptr);
            return null;
        }
        if (!top && c.has("Assign")) {
            reader.error("SCHEMA_VALIDATION_FAILED", "Field 'Assign' is not allowed in a nested choice rule", ptr + "/Assign");
        }
        if (!top && c.has("Next")) {
            reader.error("SCHEMA_VALIDATION_FAILED", "Field 'Next' is not allowed in a nested choice rule", ptr + "/Next");
        }
        for (String f : DefinitionReader.iterable(c.fieldNames())) {
            if (!f.equals("Next") && !f.equals("Comment") && !f.equals("Variable") && !f.equals("Assign") && !f.equals("And")
                    && !f.equals("Or") && !f.equals("Not") && !ChoiceRule.Operator.NAMES.contains(f)) {
                reader.error("SCHEMA_VALIDATION_FAILED", "Field '" + f + "' is not supported in a choice rule", ptr + "/" + f);
            }
        }
        if (c.has("And") || c.has("Or")) {
            String op = c.has("And") ? "And" : "Or";
            if (!(c.get(op) instanceof ArrayNode list) || list.isEmpty()) {
                reader.error("SCHEMA_VALIDATION_FAILED", "The value for the field '" + op + "' must be a non-empty ARRAY",
                        ptr + "/" + op);
                return null;
            }
            List<ChoiceRule> rules = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                ChoiceRule r = rule(list.get(i), ptr + "/" + op + "/" + i, false);
                if (r != null) {
                    rules.add(r);
                }
            }
            return op.equals("And") ? new ChoiceRule.And(List.copyOf(rules)) : new ChoiceRule.Or(List.copyOf(rules));
        }
        if (c.has("Not")) {
            ChoiceRule r = rule(c.get("Not"), ptr + "/Not", false);
            return r == null ? null : new ChoiceRule.Not(r);
        }
        JsonNode variable = c.get("Variable");
        if (variable == null) {
            reader.error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Variable]", ptr);
            return null;
        }
        AslPath var = reader.path(variable, "Variable", ptr + "/Variable", false, true);
        List<String> ops = new ArrayList<>();
        for (String f : DefinitionReader.iterable(c.fieldNames())) {
            if (ChoiceRule.Operator.NAMES.contains(f)) {
                ops.add(f);
            }
        }
        if (ops.size() != 1) {
            reader.error("SCHEMA_VALIDATION_FAILED", "A choice rule must have exactly one comparison operator", ptr);
            return null;
        }
        String opName = ops.get(0);
        boolean isPath = opName.endsWith("Path");
        ChoiceRule.Operator op = ChoiceRule.Operator.valueOf(isPath ? opName.substring(0, opName.length() - 4) : opName);
        JsonNode value = c.get(opName);
        String vptr = ptr + "/" + opName;
        if (isPath) {
            AslPath other = reader.path(value, opName, vptr, false, true);
            return new ChoiceRule.Comparison(var, op, null, other);
        }
        boolean ok = switch (op.kind) {
            case STRING -> value.isTextual();
            case NUMBER -> value.isNumber();
            case BOOLEAN, TYPE_TEST -> value.isBoolean();
            case TIMESTAMP -> value.isTextual() && ChoiceRule.timestamp(value.textValue()) != null;
        };
        if (!ok) {
            String kind = switch (op.kind) {
                case STRING -> "a STRING";
                case NUMBER -> "a NUMBER";
                case BOOLEAN, TYPE_TEST -> "a BOOLEAN";
                case TIMESTAMP -> "a valid timestamp STRING";
            };
            reader.error("SCHEMA_VALIDATION_FAILED", "The value for the field '" + opName + "' must be " + kind, vptr);
        }
        return new ChoiceRule.Comparison(var, op, value, null);
    }
}
