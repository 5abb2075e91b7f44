package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.expr.AslPath;
import com.orderflow.local.engine.expr.JsonataTemplate;
import com.orderflow.local.engine.expr.PayloadTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Compiles a Choice state's rules (comparisons, And/Or/Not, paths and variables) with their transitions. */
final class ChoiceRuleCompiler {

    private static final Set<String> RULE_FIELDS = Set.of("Next", "Comment", "Variable", "Assign", "And", "Or", "Not");
    private static final Set<String> CONDITION_RULE_FIELDS = Set.of("Condition", "Next", "Comment", "Assign", "Output");

    private final Diagnostics problems;
    private final DefinitionReader reader;

    ChoiceRuleCompiler(Diagnostics problems, DefinitionReader reader) {
        this.problems = problems;
        this.reader = reader;
    }

    /** The Choices of a Choice state, each top-level rule with its Next and Assign; null when (reported) unusable. */
    List<ChoiceRule.Branch> branches(Site state, QueryLanguage language) {
        Site choices = state.field("Choices");
        if (!choices.isPresent()) {
            problems.schema("These fields are required: [Choices]", state);
            return null;
        }
        if (!choices.node().isArray() || choices.node().isEmpty()) {
            problems.schema("The field 'Choices' must be a non-empty ARRAY", choices);
            return null;
        }
        List<ChoiceRule.Branch> branches = new ArrayList<>();
        boolean jsonata = language == QueryLanguage.JSONATA;
        for (Site choice : choices.elements()) {
            ChoiceRule rule = jsonata ? condition(choice) : rule(choice, true);
            Site next = choice.field("Next");
            if (!next.isPresent()) {
                problems.schema("These fields are required: [Next]", choice);
            }
            PayloadTemplate assign = reader.assign(choice.field("Assign"), language);
            PayloadTemplate output = jsonata ? reader.jsonata(choice.field("Output")) : null;
            if (rule != null && next.isPresent()) {
                branches.add(new ChoiceRule.Branch(rule, next.node().asText(), assign, output));
            }
        }
        return List.copyOf(branches);
    }

    /** A JSONata rule: a Condition that is an expression or a boolean, with Next, Assign and Output beside it. */
    private ChoiceRule condition(Site rule) {
        if (!rule.node().isObject()) {
            problems.schema("A choice rule must be an OBJECT", rule);
            return null;
        }
        for (Site field : rule.fields()) {
            if (CONDITION_RULE_FIELDS.contains(field.name())) {
                continue;
            }
            boolean jsonPathOnly = RULE_FIELDS.contains(field.name()) || ChoiceRule.Operator.NAMES.contains(field.name());
            if (jsonPathOnly) {
                problems.schema(StateCompiler.onlyIn(QueryLanguage.JSONATA, field.name(), QueryLanguage.JSONPATH), rule);
            } else {
                problems.schema("Field '" + field.name() + "' is not supported in a choice rule", field);
            }
        }
        Site condition = rule.field("Condition");
        if (!condition.isPresent()) {
            problems.schema("These fields are required: [Condition]", rule);
            return null;
        }
        if (!condition.node().isBoolean() && !JsonataTemplate.isExpression(condition.node())) {
            problems.schema("The value for the field 'Condition' must be a BOOLEAN or a JSONata expression", condition);
            return null;
        }
        JsonataTemplate compiled = reader.jsonata(condition);
        return compiled == null ? null : new ChoiceRule.Condition(compiled);
    }

    private ChoiceRule rule(Site rule, boolean top) {
        if (!rule.node().isObject()) {
            problems.schema("A choice rule must be an OBJECT", rule);
            return null;
        }
        for (String transitionField : List.of("Assign", "Next")) {
            if (!top && rule.has(transitionField)) {
                problems.schema("Field '" + transitionField + "' is not allowed in a nested choice rule",
                        rule.field(transitionField));
            }
        }
        for (Site field : rule.fields()) {
            if (!RULE_FIELDS.contains(field.name()) && !ChoiceRule.Operator.NAMES.contains(field.name())) {
                problems.schema("Field '" + field.name() + "' is not supported in a choice rule", field);
            }
        }
        if (rule.has("And") || rule.has("Or")) {
            return combination(rule.field(rule.has("And") ? "And" : "Or"));
        }
        if (rule.has("Not")) {
            ChoiceRule negated = rule(rule.field("Not"), false);
            return negated == null ? null : new ChoiceRule.Not(negated);
        }
        return comparison(rule);
    }

    private ChoiceRule combination(Site list) {
        if (!list.node().isArray() || list.node().isEmpty()) {
            problems.schema("The value for the field '" + list.name() + "' must be a non-empty ARRAY", list);
            return null;
        }
        List<ChoiceRule> rules = new ArrayList<>();
        for (Site element : list.elements()) {
            ChoiceRule r = rule(element, false);
            if (r != null) {
                rules.add(r);
            }
        }
        return list.name().equals("And") ? new ChoiceRule.And(List.copyOf(rules)) : new ChoiceRule.Or(List.copyOf(rules));
    }

    private ChoiceRule comparison(Site rule) {
        Site variable = rule.field("Variable");
        if (!variable.isPresent()) {
            problems.schema("These fields are required: [Variable]", rule);
            return null;
        }
        AslPath path = reader.pathOrVariable(variable);
        List<String> operators = rule.fieldNames().stream().filter(ChoiceRule.Operator.NAMES::contains).toList();
        if (operators.size() != 1) {
            problems.schema("A choice rule must have exactly one comparison operator", rule);
            return null;
        }
        Site value = rule.field(operators.get(0));
        String name = value.name();
        boolean isPath = name.endsWith("Path");
        var op = ChoiceRule.Operator.valueOf(isPath ? name.substring(0, name.length() - 4) : name);
        if (isPath) {
            return new ChoiceRule.Comparison(path, op, null, reader.pathOrVariable(value));
        }
        literal(value, op);
        return new ChoiceRule.Comparison(path, op, value.node(), null);
    }

    /** Reports a literal that is not of the kind its operator compares. */
    private void literal(Site value, ChoiceRule.Operator op) {
        JsonNode literal = value.node();
        boolean ok = switch (op.kind) {
            case STRING -> literal.isTextual();
            case NUMBER -> literal.isNumber();
            case BOOLEAN, TYPE_TEST -> literal.isBoolean();
            case TIMESTAMP -> literal.isTextual() && ChoiceRule.timestamp(literal.textValue()) != null;
        };
        if (!ok) {
            String kind = switch (op.kind) {
                case STRING -> "a STRING";
                case NUMBER -> "a NUMBER";
                case BOOLEAN, TYPE_TEST -> "a BOOLEAN";
                case TIMESTAMP -> "a valid timestamp STRING";
            };
            problems.schema("The value for the field '" + value.name() + "' must be " + kind, value);
        }
    }
}
