package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.expr.AslPath;
import com.orderflow.local.engine.definition.Diagnostics.Code;
import com.orderflow.local.engine.expr.PayloadTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a definition the way CreateStateMachine does and compiles it into {@link State}s.
 * Problems are collected as {@code CODE: message at /pointer} strings, AWS's InvalidDefinition style.
 */
public final class DefinitionCompiler {

    private static final Set<String> TOP_FIELDS = Set.of("StartAt", "States", "Comment", "Version", "TimeoutSeconds",
            "QueryLanguage");
    private static final Set<String> BRANCH_FIELDS = Set.of("StartAt", "States", "Comment", "QueryLanguage");
    private static final Set<String> PROCESSOR_FIELDS = Set.of("StartAt", "States", "Comment", "ProcessorConfig",
            "QueryLanguage");

    private static final List<String> WAIT_FIELDS = List.of("Seconds", "Timestamp", "SecondsPath", "TimestampPath");
    private static final Set<String> COMMON = Set.of("Type", "Comment", "QueryLanguage");
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "Pass", Set.of("Assign", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result"),
            "Task", Set.of("Assign", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector",
                    "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath",
                    "Retry", "Catch", "Credentials"),
            "Choice", Set.of("Assign", "InputPath", "OutputPath", "Choices", "Default"),
            "Wait", Set.of("Assign", "Next", "End", "InputPath", "OutputPath", "Seconds", "Timestamp", "SecondsPath",
                    "TimestampPath"),
            "Succeed", Set.of("InputPath", "OutputPath"),
            "Fail", Set.of("Error", "Cause", "ErrorPath", "CausePath"),
            "Parallel", Set.of("Assign", "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector",
                    "Branches", "Retry", "Catch"),
            "Map", Set.of("Assign", "Next", "End", "InputPath", "OutputPath", "ResultPath", "ResultSelector", "ItemsPath",
                    "ItemSelector", "Parameters", "Iterator", "ItemProcessor", "MaxConcurrency", "MaxConcurrencyPath",
                    "Retry", "Catch", "Label"));

    private final Diagnostics problems = new Diagnostics();
    private final DefinitionReader reader = new DefinitionReader(problems);
    private final ChoiceRuleCompiler rules = new ChoiceRuleCompiler(problems, reader);
    private final RetryRulesCompiler retryRules = new RetryRulesCompiler(problems, reader);
    private final Set<String> allStateNames = new HashSet<>();

    /** The compiled top-level graph plus TimeoutSeconds. */
    public record Compiled(State.Graph graph, Integer timeoutSeconds) {
    }

    List<String> errors() {
        return problems.all();
    }

    Compiled compile(JsonNode root) {
        if (!(root instanceof ObjectNode)) {
            problems.schema("The state machine definition must be a JSON object", Site.root(root));
            return null;
        }
        Site top = Site.root(root);
        queryLanguage(top.field("QueryLanguage"));
        Integer timeout = reader.positiveInt(top.field("TimeoutSeconds"), false);
        State.Graph graph = graph(top, TOP_FIELDS);
        return problems.isEmpty() ? new Compiled(graph, timeout) : null;
    }

    private void queryLanguage(Site field) {
        if (field.isPresent() && !"JSONPath".equals(field.node().asText())) {
            problems.schema("The QueryLanguage '" + field.node().asText()
                    + "' is not supported by this engine; use JSONPath", field);
        }
    }

    private State.Graph graph(Site graph, Set<String> allowedFields) {
        int problemsBefore = problems.count();
        reader.unknownFields(graph, allowedFields);
        List<String> missing = new ArrayList<>();
        Site startAt = graph.field("StartAt");
        Site states = graph.field("States");
        if (!startAt.isPresent()) {
            missing.add("StartAt");
        }
        if (!states.isPresent()) {
            missing.add("States");
        }
        if (!missing.isEmpty()) {
            problems.schema("These fields are required: " + missing, graph);
            return null;
        }
        if (!startAt.node().isTextual()) {
            problems.schema("The value for the field 'StartAt' must be a STRING", startAt);
            return null;
        }
        if (!states.node().isObject() || states.node().isEmpty()) {
            problems.schema("The field 'States' must be a non-empty OBJECT", states);
            return null;
        }
        Map<String, State> compiled = new LinkedHashMap<>();
        for (Site state : states.fields()) {
            State s = namedState(state);
            if (s != null) {
                compiled.put(state.name(), s);
            }
        }
        String start = startAt.node().textValue();
        if (!states.has(start)) {
            problems.report(Code.MISSING_TRANSITION_TARGET, "Missing 'StartAt' target: " + start, startAt);
            return null;
        }
        // Transition targets, then reachability from StartAt.
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (Site state : states.fields()) {
            if (!state.node().isObject()) {
                continue;
            }
            List<String> targets = new ArrayList<>();
            target(state.field("Next"), states, targets);
            target(state.field("Default"), states, targets);
            for (Site choice : state.field("Choices").elements()) {
                target(choice.field("Next"), states, targets);
            }
            for (Site catcher : state.field("Catch").elements()) {
                target(catcher.field("Next"), states, targets);
            }
            edges.put(state.name(), targets);
        }
        Set<String> reached = new LinkedHashSet<>();
        var queue = new ArrayDeque<String>();
        queue.add(start);
        while (!queue.isEmpty()) {
            String n = queue.poll();
            if (reached.add(n)) {
                queue.addAll(edges.getOrDefault(n, List.of()));
            }
        }
        for (String name : edges.keySet()) {
            if (!reached.contains(name)) {
                problems.report(Code.MISSING_TRANSITION_TARGET, "State \"" + name + "\" is not reachable.",
                        states.field(name));
            }
        }
        boolean terminal = false;
        for (Site state : states.fields()) {
            String type = state.field("Type").node().asText();
            if (type.equals("Succeed") || type.equals("Fail") || state.field("End").node().asBoolean(false)) {
                terminal = true;
            }
        }
        if (!terminal && problems.count() == problemsBefore) {
            problems.report(Code.MISSING_END_STATE, "Workflow has no terminal state", graph);
        }
        return new State.Graph(start, Map.copyOf(compiled));
    }

    private void target(Site next, Site states, List<String> out) {
        if (!next.node().isTextual()) {
            return;
        }
        if (!states.has(next.node().textValue())) {
            problems.report(Code.MISSING_TRANSITION_TARGET, "Missing '" + next.name() + "' target: "
                    + next.node().textValue(), next);
        } else {
            out.add(next.node().textValue());
        }
    }

    private State namedState(Site state) {
        String name = state.name();
        if (!allStateNames.add(name)) {
            problems.report(Code.DUPLICATE_STATE_NAME, "Duplicate State name: " + name, state);
        }
        if (name.isEmpty() || name.length() > 80) {
            problems.schema("State names must be 1 to 80 characters long", state);
        }
        if (!state.node().isObject()) {
            problems.schema("The value for the state must be an OBJECT", state);
            return null;
        }
        return state(name, state);
    }

    private State state(String name, Site s) {
        Site typeField = s.field("Type");
        if (!typeField.isPresent()) {
            problems.schema("These fields are required: [Type]", s);
            return null;
        }
        String type = typeField.node().asText();
        Set<String> allowed = ALLOWED.get(type);
        if (allowed == null || !typeField.node().isTextual()) {
            problems.schema("The value for the field 'Type' must be one of "
                    + "[Choice, Fail, Map, Parallel, Pass, Succeed, Task, Wait]", typeField);
            return null;
        }
        for (Site field : s.fields()) {
            if (!COMMON.contains(field.name()) && !allowed.contains(field.name())) {
                problems.schema("Field '" + field.name() + "' is not supported for a " + type + " state", field);
            }
        }
        queryLanguage(s.field("QueryLanguage"));
        String next = null;
        if (allowed.contains("End")) {
            next = transition(s);
        }
        State.DataFlow io = dataFlow(s, type, allowed);
        return switch (type) {
            case "Pass" -> new State.Pass(name, io, s.node().get("Result"), next);
            case "Task" -> task(name, s, io, next);
            case "Choice" -> choice(name, s, io);
            case "Wait" -> waitState(name, s, io, next);
            case "Succeed" -> new State.Succeed(name, io);
            case "Fail" -> fail(name, s);
            case "Parallel" -> parallel(name, s, io, next);
            case "Map" -> map(name, s, io, next);
            default -> throw new IllegalStateException(type);
        };
    }

    private String transition(Site s) {
        Site next = s.field("Next");
        Site end = s.field("End");
        if (end.isPresent() && !end.node().isBoolean()) {
            problems.schema("The value for the field 'End' must be a BOOLEAN", end);
        }
        boolean isEnd = end.node().asBoolean(false);
        if (next.isPresent() && isEnd) {
            problems.schema("Only one of the fields 'Next' and 'End' may be set", s);
        } else if (!next.isPresent() && !isEnd) {
            problems.report(Code.MISSING_TRANSITION_TARGET, "State must have either 'Next' or 'End': true", s);
        }
        if (next.isPresent() && !next.node().isTextual()) {
            problems.schema("The value for the field 'Next' must be a STRING", next);
            return null;
        }
        return next.isPresent() ? next.node().textValue() : null;
    }

    private State.DataFlow dataFlow(Site s, String type, Set<String> allowed) {
        AslPath input = reader.optionalPath(s.field("InputPath"), false);
        AslPath output = reader.optionalPath(s.field("OutputPath"), false);
        AslPath result = allowed.contains("ResultPath") ? reader.optionalPath(s.field("ResultPath"), true) : AslPath.ROOT;
        PayloadTemplate parameters = null;
        if (allowed.contains("Parameters") && !type.equals("Map")) {
            parameters = reader.template(s.field("Parameters"));
        }
        PayloadTemplate selector = allowed.contains("ResultSelector") ? reader.template(s.field("ResultSelector")) : null;
        PayloadTemplate assign = allowed.contains("Assign") ? reader.assign(s.field("Assign")) : null;
        return new State.DataFlow(input, parameters, selector, result, output, assign);
    }

    private State task(String name, Site s, State.DataFlow io, String next) {
        Site resource = s.field("Resource");
        if (!resource.node().isTextual()) {
            problems.schema("These fields are required: [Resource]", s);
        } else if (!resource.node().textValue().startsWith("arn:")) {
            problems.report(Code.INVALID_RESOURCE, "Invalid Resource: " + resource.node().textValue(), resource);
        }
        reader.atMostOneOf(s, "TimeoutSeconds", "TimeoutSecondsPath");
        reader.atMostOneOf(s, "HeartbeatSeconds", "HeartbeatSecondsPath");
        Integer timeout = reader.positiveInt(s.field("TimeoutSeconds"), false);
        AslPath timeoutPath = reader.referencePathIfPresent(s.field("TimeoutSecondsPath"));
        Integer heartbeat = reader.positiveInt(s.field("HeartbeatSeconds"), false);
        AslPath heartbeatPath = reader.referencePathIfPresent(s.field("HeartbeatSecondsPath"));
        if (heartbeat != null && heartbeat >= (timeout == null ? 99999999 : timeout)) {
            problems.schema("The value of 'HeartbeatSeconds' must be less than the value of 'TimeoutSeconds'",
                    s.field("HeartbeatSeconds"));
        }
        return new State.Task(name, io, resource.isPresent() ? resource.node().asText() : null, timeout, timeoutPath,
                heartbeat, heartbeatPath, retryRules.retriers(s), retryRules.catchers(s), next);
    }

    private State choice(String name, Site s, State.DataFlow io) {
        List<ChoiceRule.Branch> branches = rules.branches(s);
        if (branches == null) {
            return null;
        }
        Site otherwise = s.field("Default");
        return new State.Choice(name, io, branches, otherwise.isPresent() ? otherwise.node().asText() : null);
    }

    private State waitState(String name, Site s, State.DataFlow io, String next) {
        long count = WAIT_FIELDS.stream().filter(s::has).count();
        if (count != 1) {
            problems.schema("Exactly one of the fields 'Seconds', 'Timestamp', 'SecondsPath' and "
                    + "'TimestampPath' must be set", s);
        }
        Long seconds = null;
        if (s.has("Seconds")) {
            Integer v = reader.positiveInt(s.field("Seconds"), true);
            seconds = v == null ? 0L : v.longValue();
        }
        Instant timestamp = null;
        Site timestampField = s.field("Timestamp");
        if (timestampField.isPresent()) {
            JsonNode t = timestampField.node();
            timestamp = t.isTextual() ? ChoiceRule.timestamp(t.textValue()) : null;
            if (timestamp == null) {
                problems.schema("The value for the field 'Timestamp' must be a valid timestamp", timestampField);
            }
        }
        AslPath secondsPath = reader.referencePathIfPresent(s.field("SecondsPath"));
        AslPath timestampPath = reader.referencePathIfPresent(s.field("TimestampPath"));
        return new State.Wait(name, io, seconds, timestamp, secondsPath, timestampPath, next);
    }

    private State fail(String name, Site s) {
        reader.atMostOneOf(s, "Error", "ErrorPath");
        reader.atMostOneOf(s, "Cause", "CausePath");
        PayloadTemplate errorPath = reader.dynamicPath(s.field("ErrorPath"));
        PayloadTemplate causePath = reader.dynamicPath(s.field("CausePath"));
        return new State.Fail(name, reader.text(s.field("Error")), reader.text(s.field("Cause")), errorPath, causePath);
    }

    private State parallel(String name, Site s, State.DataFlow io, String next) {
        Site branches = s.field("Branches");
        if (!branches.isPresent()) {
            problems.schema("These fields are required: [Branches]", s);
            return null;
        }
        if (!branches.node().isArray() || branches.node().isEmpty()) {
            problems.schema("The field 'Branches' must be a non-empty ARRAY", branches);
            return null;
        }
        List<State.Graph> graphs = new ArrayList<>();
        for (Site branch : branches.elements()) {
            if (!branch.node().isObject()) {
                problems.schema("A branch must be an OBJECT", branch);
                continue;
            }
            graphs.add(graph(branch, BRANCH_FIELDS));
        }
        return new State.Parallel(name, io, graphs, retryRules.retriers(s), retryRules.catchers(s), next);
    }

    private State map(String name, Site s, State.DataFlow io, String next) {
        reader.atMostOneOf(s, "ItemProcessor", "Iterator");
        reader.atMostOneOf(s, "ItemSelector", "Parameters");
        Site processor = s.has("ItemProcessor") ? s.field("ItemProcessor") : s.field("Iterator");
        if (!processor.isPresent()) {
            problems.schema("These fields are required: [ItemProcessor]", s);
            return null;
        }
        if (!processor.node().isObject()) {
            problems.schema("The value for the field '" + processor.name() + "' must be an OBJECT", processor);
            return null;
        }
        Site mode = processor.field("ProcessorConfig").field("Mode");
        if (mode.isPresent() && !mode.node().asText().equals("INLINE")) {
            problems.schema("Only the INLINE processor mode is supported by this engine", mode);
        }
        State.Graph graph = graph(processor, PROCESSOR_FIELDS);
        Site items = s.field("ItemsPath");
        AslPath itemsPath = reader.optionalPath(items, true);
        if (itemsPath == null) {
            problems.schema("The value for the field 'ItemsPath' must be a valid ReferencePath", items);
        }
        PayloadTemplate selector = reader.template(s.has("ItemSelector") ? s.field("ItemSelector") : s.field("Parameters"));
        Integer maxConcurrency = reader.positiveInt(s.field("MaxConcurrency"), true);
        AslPath maxConcurrencyPath = reader.referencePathIfPresent(s.field("MaxConcurrencyPath"));
        return new State.MapState(name, io, graph, itemsPath, selector, maxConcurrency == null ? 0 : maxConcurrency,
                maxConcurrencyPath, retryRules.retriers(s), retryRules.catchers(s), next);
    }
}
