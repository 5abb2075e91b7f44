package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.expr.AslPath;
import com.orderflow.local.engine.expr.StateFailure;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compiles the Retry and Catch rules of Task, Parallel and Map states. */
final class RetryRulesCompiler {

    private static final Set<String> RETRIER_FIELDS = Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts",
            "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment");
    private static final Set<String> CATCHER_FIELDS = Set.of("ErrorEquals", "Next", "Comment", "Assign");
    /** The field each language alone gives a catcher: where the error output goes. */
    private static final Map<QueryLanguage, String> CATCHER_OUTPUT = Map.of(QueryLanguage.JSONPATH, "ResultPath",
            QueryLanguage.JSONATA, "Output");

    private final Diagnostics problems;
    private final DefinitionReader reader;

    RetryRulesCompiler(Diagnostics problems, DefinitionReader reader) {
        this.problems = problems;
        this.reader = reader;
    }

    List<State.Retrier> retriers(Site state) {
        List<State.Retrier> out = new ArrayList<>();
        List<Site> rules = rules(state.field("Retry"));
        for (int i = 0; i < rules.size(); i++) {
            Site rule = rules.get(i);
            if (!rule.node().isObject()) {
                problems.schema("A retrier must be an OBJECT", rule);
                continue;
            }
            out.add(retrier(rule, i == rules.size() - 1));
        }
        return List.copyOf(out);
    }

    private State.Retrier retrier(Site rule, boolean last) {
        reader.unknownFields(rule, RETRIER_FIELDS);
        List<String> errorsEquals = errorEquals(rule, last, "retrier");
        Integer interval = reader.positiveInt(rule.field("IntervalSeconds"), false);
        Integer maxAttempts = reader.positiveInt(rule.field("MaxAttempts"), true);
        double backoff = 2.0;
        Site backoffRate = rule.field("BackoffRate");
        if (backoffRate.isPresent()) {
            JsonNode b = backoffRate.node();
            if (!b.isNumber() || b.asDouble() < 1.0) {
                problems.schema("The value for the field 'BackoffRate' must be a NUMBER greater than or equal to 1.0",
                        backoffRate);
            } else {
                backoff = b.asDouble();
            }
        }
        Integer maxDelay = reader.positiveInt(rule.field("MaxDelaySeconds"), false);
        boolean jitter = false;
        Site jitterStrategy = rule.field("JitterStrategy");
        if (jitterStrategy.isPresent()) {
            String j = jitterStrategy.node().asText();
            if (!j.equals("FULL") && !j.equals("NONE")) {
                problems.schema("The value for the field 'JitterStrategy' must be one of [FULL, NONE]", jitterStrategy);
            }
            jitter = j.equals("FULL");
        }
        return new State.Retrier(errorsEquals, interval == null ? 1 : interval, maxAttempts == null ? 3 : maxAttempts,
                backoff, maxDelay == null ? null : maxDelay.doubleValue(), jitter);
    }

    List<State.Catcher> catchers(Site state, QueryLanguage language) {
        List<State.Catcher> out = new ArrayList<>();
        List<Site> rules = rules(state.field("Catch"));
        for (int i = 0; i < rules.size(); i++) {
            Site rule = rules.get(i);
            if (!rule.node().isObject()) {
                problems.schema("A catcher must be an OBJECT", rule);
                continue;
            }
            unknownCatcherFields(rule, language);
            List<String> errorsEquals = errorEquals(rule, i == rules.size() - 1, "catcher");
            Site next = rule.field("Next");
            if (!next.node().isTextual()) {
                problems.schema("These fields are required: [Next]", rule);
            }
            boolean jsonata = language == QueryLanguage.JSONATA;
            // a JSONata catcher without Output outputs the error output, as JSONPath's default ResultPath '$' does
            AslPath resultPath = jsonata ? AslPath.ROOT : reader.optionalPath(rule.field("ResultPath"), true);
            out.add(new State.Catcher(errorsEquals, resultPath, next.isPresent() ? next.node().asText() : null,
                    reader.assign(rule.field("Assign"), language), jsonata ? reader.jsonata(rule.field("Output")) : null));
        }
        return List.copyOf(out);
    }

    private void unknownCatcherFields(Site rule, QueryLanguage language) {
        for (Site field : rule.fields()) {
            if (CATCHER_FIELDS.contains(field.name()) || field.name().equals(CATCHER_OUTPUT.get(language))) {
                continue;
            }
            var other = CATCHER_OUTPUT.entrySet().stream().filter(e -> e.getValue().equals(field.name())).findFirst();
            problems.schema(other.isPresent() ? StateCompiler.onlyIn(language, field.name(), other.get().getKey())
                    : "Field '" + field.name() + "' is not supported", other.isPresent() ? rule : field);
        }
    }

    /** The elements of a Retry or Catch field: none when it is absent or (reported) not an array. */
    private List<Site> rules(Site field) {
        if (field.isPresent() && !field.node().isArray()) {
            problems.schema("The value for the field '" + field.name() + "' must be an ARRAY", field);
        }
        return field.elements();
    }

    private List<String> errorEquals(Site rule, boolean last, String what) {
        Site errorEquals = rule.field("ErrorEquals");
        if (!errorEquals.node().isArray() || errorEquals.node().isEmpty()) {
            problems.schema("These fields are required: [ErrorEquals]", rule);
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Site error : errorEquals.elements()) {
            if (!error.node().isTextual()) {
                problems.schema("The values of 'ErrorEquals' must be STRINGs", errorEquals);
                continue;
            }
            out.add(error.node().textValue());
        }
        if (out.contains(StateFailure.ALL)) {
            if (out.size() > 1) {
                problems.schema("'States.ALL' must appear alone in 'ErrorEquals'", errorEquals);
            } else if (!last) {
                problems.schema("A " + what + " with 'States.ALL' must be the last " + what, errorEquals);
            }
        }
        return List.copyOf(out);
    }
}
