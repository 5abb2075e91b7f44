package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.expr.DataFlow;
import com.orderflow.local.engine.expr.JsonataDataFlow;
import com.orderflow.local.engine.expr.JsonataTemplate;
import com.orderflow.local.engine.expr.PathDataFlow;
import com.orderflow.local.engine.definition.Diagnostics.Code;
import com.orderflow.local.engine.expr.AslPath;
import com.orderflow.local.engine.expr.PayloadTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Compiles one state: first what every state type shares (Type, the fields its type and query language allow,
 * QueryLanguage, Next/End, the data-flow fields), then the fields of its own type.
 */
final class StateCompiler {

    private static final List<String> WAIT_FIELDS = List.of("Seconds", "Timestamp", "SecondsPath", "TimestampPath");

    private final Diagnostics problems;
    private final DefinitionReader reader;
    private final ChoiceRuleCompiler choiceRules;
    private final RetryRulesCompiler retryRules;
    private final ParallelAndMapCompiler nested;
    /** The definition's top-level language: every state that declares none is written in it, nested ones too. */
    private QueryLanguage machineLanguage = QueryLanguage.JSONPATH;

    StateCompiler(Diagnostics problems, DefinitionReader reader, ParallelAndMapCompiler.Graphs graphs) {
        this.problems = problems;
        this.reader = reader;
        this.choiceRules = new ChoiceRuleCompiler(problems, reader);
        this.retryRules = new RetryRulesCompiler(problems, reader);
        this.nested = new ParallelAndMapCompiler(problems, reader, retryRules, graphs);
    }

    void machineLanguage(QueryLanguage language) {
        machineLanguage = language;
    }

    /** The state at {@code state} (an object), or null when a problem (reported) leaves nothing to run. */
    State compile(Site state) {
        Site typeField = state.field("Type");
        if (!typeField.isPresent()) {
            problems.schema("These fields are required: [Type]", state);
            return null;
        }
        String type = typeField.node().asText();
        if (!StateFields.isType(type) || !typeField.node().isTextual()) {
            problems.schema("The value for the field 'Type' must be one of " + StateFields.TYPES, typeField);
            return null;
        }
        QueryLanguage language = language(state);
        Set<String> allowed = StateFields.allowed(type, language);
        for (Site field : state.fields()) {
            if (!allowed.contains(field.name())) {
                unsupported(state, type, language, field.name());
            }
        }
        String next = allowed.contains("End") ? transition(state) : null;
        DataFlow io = dataFlow(state, type, allowed, language);
        return switch (type) {
            case "Pass" -> new State.Pass(state.name(), io, state.node().get("Result"), next);
            case "Task" -> task(state, io, next, language);
            case "Choice" -> choice(state, io, language);
            case "Wait" -> waitState(state, io, next, language);
            case "Succeed" -> new State.Succeed(state.name(), io);
            case "Fail" -> fail(state, language);
            case "Parallel" -> nested.parallel(state, io, next, language);
            case "Map" -> nested.map(state, io, next, language);
            default -> throw new IllegalStateException(type);
        };
    }

    /**
     * The language the state is written in: its own QueryLanguage or the definition's. A JSONata definition's
     * states cannot go back to JSONPath, as AWS refuses.
     */
    private QueryLanguage language(Site state) {
        QueryLanguage declared = reader.queryLanguage(state.field("QueryLanguage"), machineLanguage);
        if (machineLanguage == QueryLanguage.JSONATA && declared == QueryLanguage.JSONPATH) {
            problems.schema("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", state);
        }
        return declared;
    }

    /** A field the state's type lacks, or has only in the other language, reported in AWS's words for each. */
    private void unsupported(Site state, String type, QueryLanguage language, String field) {
        for (QueryLanguage other : QueryLanguage.values()) {
            if (other != language && StateFields.allowed(type, other).contains(field)) {
                problems.schema(onlyIn(language, field, other), state);
                return;
            }
        }
        problems.schema("Field '" + field + "' is not supported for a " + type + " state", state.field(field));
    }

    /** AWS's message for a field of the other query language. */
    static String onlyIn(QueryLanguage language, String field, QueryLanguage other) {
        return "The QueryLanguage is set to '" + language.declaredAs() + "', but field '" + field
                + "' is only supported for the '" + other.declaredAs() + "' QueryLanguage";
    }

    private String transition(Site state) {
        Site next = state.field("Next");
        Site end = state.field("End");
        if (end.isPresent() && !end.node().isBoolean()) {
            problems.schema("The value for the field 'End' must be a BOOLEAN", end);
        }
        boolean isEnd = end.node().asBoolean(false);
        if (next.isPresent() && isEnd) {
            problems.schema("Only one of the fields 'Next' and 'End' may be set", state);
        } else if (!next.isPresent() && !isEnd) {
            problems.report(Code.MISSING_TRANSITION_TARGET, "State must have either 'Next' or 'End': true", state);
        }
        if (next.isPresent() && !next.node().isTextual()) {
            problems.schema("The value for the field 'Next' must be a STRING", next);
            return null;
        }
        return next.isPresent() ? next.node().textValue() : null;
    }

    private DataFlow dataFlow(Site state, String type, Set<String> allowed, QueryLanguage language) {
        if (language == QueryLanguage.JSONATA) {
            return new JsonataDataFlow(reader.jsonata(state.field("Arguments")), reader.jsonata(state.field("Output")),
                    allowed.contains("Assign") ? reader.jsonataAssign(state.field("Assign")) : null);
        }
        // AWS reads a variable in InputPath and OutputPath as it was before this state's Assign
        AslPath input = reader.optionalPathOrVariable(state.field("InputPath"));
        AslPath output = reader.optionalPathOrVariable(state.field("OutputPath"));
        AslPath result = allowed.contains("ResultPath") ? reader.optionalPath(state.field("ResultPath"), true) : AslPath.ROOT;
        // a Map state's Parameters are its ItemSelector's older name, not its input
        boolean hasParameters = allowed.contains("Parameters") && !type.equals("Map");
        PayloadTemplate parameters = hasParameters ? reader.template(state.field("Parameters")) : null;
        PayloadTemplate selector = allowed.contains("ResultSelector") ? reader.template(state.field("ResultSelector")) : null;
        PayloadTemplate assign = allowed.contains("Assign") ? reader.assign(state.field("Assign")) : null;
        return new PathDataFlow(input, parameters, selector, result, output, assign);
    }

    private State task(Site state, DataFlow io, String next, QueryLanguage language) {
        Site resource = state.field("Resource");
        if (!resource.node().isTextual()) {
            problems.schema("These fields are required: [Resource]", state);
        } else if (!resource.node().textValue().startsWith("arn:")) {
            problems.report(Code.INVALID_RESOURCE, "Invalid Resource: " + resource.node().textValue(), resource);
        }
        reader.atMostOneOf(state, "TimeoutSeconds", "TimeoutSecondsPath");
        reader.atMostOneOf(state, "HeartbeatSeconds", "HeartbeatSecondsPath");
        JsonataTemplate timeoutExpression = expression(state.field("TimeoutSeconds"), language);
        JsonataTemplate heartbeatExpression = expression(state.field("HeartbeatSeconds"), language);
        Integer timeout = timeoutExpression != null ? null : reader.positiveInt(state.field("TimeoutSeconds"), false);
        AslPath timeoutPath = reader.referencePathIfPresent(state.field("TimeoutSecondsPath"));
        Integer heartbeat = heartbeatExpression != null ? null : reader.positiveInt(state.field("HeartbeatSeconds"), false);
        AslPath heartbeatPath = reader.referencePathIfPresent(state.field("HeartbeatSecondsPath"));
        if (heartbeat != null && heartbeat >= (timeout == null ? DefinitionReader.MAX_INTEGER : timeout)) {
            problems.schema("The value of 'HeartbeatSeconds' must be less than the value of 'TimeoutSeconds'",
                    state.field("HeartbeatSeconds"));
        }
        return new State.Task(state.name(), io, resource.isPresent() ? resource.node().asText() : null,
                new State.Seconds(timeout, timeoutPath, timeoutExpression),
                new State.Seconds(heartbeat, heartbeatPath, heartbeatExpression), retryRules.retriers(state),
                retryRules.catchers(state, language), next);
    }

    /** A number field's value when the state is JSONata's and the value is an expression; null otherwise. */
    private JsonataTemplate expression(Site field, QueryLanguage language) {
        return language == QueryLanguage.JSONATA ? reader.jsonataIfExpression(field) : null;
    }

    private State choice(Site state, DataFlow io, QueryLanguage language) {
        List<ChoiceRule.Branch> branches = choiceRules.branches(state, language);
        if (branches == null) {
            return null;
        }
        Site otherwise = state.field("Default");
        return new State.Choice(state.name(), io, branches, otherwise.isPresent() ? otherwise.node().asText() : null);
    }

    private State waitState(Site state, DataFlow io, String next, QueryLanguage language) {
        if (WAIT_FIELDS.stream().filter(state::has).count() != 1) {
            problems.schema("Exactly one of the fields 'Seconds', 'Timestamp', 'SecondsPath' and "
                    + "'TimestampPath' must be set", state);
        }
        JsonataTemplate secondsExpression = expression(state.field("Seconds"), language);
        JsonataTemplate timestampExpression = expression(state.field("Timestamp"), language);
        if (secondsExpression != null || timestampExpression != null) {
            return new State.Wait(state.name(), io, null, null, null, null,
                    secondsExpression != null ? secondsExpression : timestampExpression, secondsExpression != null, next);
        }
        Long seconds = null;
        if (state.has("Seconds")) {
            Integer v = reader.positiveInt(state.field("Seconds"), true);
            seconds = v == null ? 0L : v.longValue();
        }
        Instant timestamp = null;
        Site timestampField = state.field("Timestamp");
        if (timestampField.isPresent()) {
            JsonNode t = timestampField.node();
            timestamp = t.isTextual() ? ChoiceRule.timestamp(t.textValue()) : null;
            if (timestamp == null) {
                problems.schema("The value for the field 'Timestamp' must be a valid timestamp", timestampField);
            }
        }
        // AWS reads either from a workflow variable too (SecondsPath "$waitTime")
        AslPath secondsPath = reader.referencePathOrVariableIfPresent(state.field("SecondsPath"));
        AslPath timestampPath = reader.referencePathOrVariableIfPresent(state.field("TimestampPath"));
        return new State.Wait(state.name(), io, seconds, timestamp, secondsPath, timestampPath, null, false, next);
    }

    private State fail(Site state, QueryLanguage language) {
        reader.atMostOneOf(state, "Error", "ErrorPath");
        reader.atMostOneOf(state, "Cause", "CausePath");
        PayloadTemplate errorPath = reader.dynamicPath(state.field("ErrorPath"));
        PayloadTemplate causePath = reader.dynamicPath(state.field("CausePath"));
        // a JSONata Fail's Error and Cause may be expressions, evaluated as the JSONPath ErrorPath and CausePath are
        JsonataTemplate errorExpression = expression(state.field("Error"), language);
        JsonataTemplate causeExpression = expression(state.field("Cause"), language);
        return new State.Fail(state.name(), errorExpression != null ? null : reader.text(state.field("Error")),
                causeExpression != null ? null : reader.text(state.field("Cause")),
                errorExpression != null ? errorExpression : errorPath, causeExpression != null ? causeExpression : causePath);
    }
}
