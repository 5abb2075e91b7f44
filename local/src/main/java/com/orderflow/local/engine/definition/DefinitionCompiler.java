package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.expr.AslPath;
import com.orderflow.local.engine.expr.PayloadTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
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

    private final DefinitionReader reader = new DefinitionReader();
    private final ChoiceRuleCompiler rules = new ChoiceRuleCompiler(reader);
    private final RetryRulesCompiler retryRules = new RetryRulesCompiler(reader);
    private final Set<String> allStateNames = new HashSet<>();

    /** The compiled top-level graph plus TimeoutSeconds. */
    public record Compiled(State.Graph graph, Integer timeoutSeconds) {
    }

    List<String> errors() {
        return reader.errors();
    }

    Compiled compile(JsonNode root) {
        if (!(root instanceof ObjectNode top)) {
            reader.error("SCHEMA_VALIDATION_FAILED", "The state machine definition must be a JSON object", "/");
            return null;
        }
        JsonNode ql = top.get("QueryLanguage");
        if (ql != null && !"JSONPath".equals(ql.asText())) {
            reader.error("SCHEMA_VALIDATION_FAILED", "The QueryLanguage '" + ql.asText()
                    + "' is not supported by this engine; use JSONPath", "/QueryLanguage");
        }
        Integer timeout = null;
        JsonNode t = top.get("TimeoutSeconds");
        if (t != null) {
            timeout = reader.positiveInt(t, "TimeoutSeconds", "", false);
        }
        State.Graph graph = graph(top, "", TOP_FIELDS);
        return reader.errors().isEmpty() ? new Compiled(graph, timeout) : null;
    }

    private State.Graph graph(ObjectNode node, String ptr, Set<String> allowedFields) {
        int errorsBefore = reader.errors().size();
        reader.unknownFields(node, allowedFields, ptr);
        List<String> missing = new ArrayList<>();
        JsonNode startAt = node.get("StartAt");
        JsonNode states = node.get("States");
        if (startAt == null) {
            missing.add("StartAt");
        }
        if (states == null) {
            missing.add("States");
        }
        if (!missing.isEmpty()) {
            reader.error("SCHEMA_VALIDATION_FAILED", "These fields are required: " + missing, DefinitionReader.at(ptr));
            return null;
        }
        if (!startAt.isTextual()) {
            reader.error("SCHEMA_VALIDATION_FAILED", "The value for the field 'StartAt' must be a STRING", ptr + "/StartAt");
            return null;
        }
        if (!(states instanceof ObjectNode stateObjects) || states.isEmpty()) {
            reader.error("SCHEMA_VALIDATION_FAILED", "The field 'States' must be a non-empty OBJECT", ptr + "/States");
            return null;
        }
        Map<String, State> compiled = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = stateObjects.fields(); it.hasNext(); ) {
            var e = it.next();
            String name = e.getKey();
            String sptr = ptr + "/States/" + name;
            if (!allStateNames.add(name)) {
                reader.error("DUPLICATE_STATE_NAME", "Duplicate State name: " + name, sptr);
            }
            if (name.isEmpty() || name.length() > 80) {
                reader.error("SCHEMA_VALIDATION_FAILED", "State names must be 1 to 80 characters long", sptr);
            }
            if (!(e.getValue() instanceof ObjectNode stateNode)) {
                reader.error("SCHEMA_VALIDATION_FAILED", "The value for the state must be an OBJECT", sptr);
                continue;
            }
            State s = state(name, stateNode, sptr);
            if (s != null) {
                compiled.put(name, s);
            }
        }
        String start = startAt.textValue();
        if (!stateObjects.has(start)) {
            reader.error("MISSING_TRANSITION_TARGET", "Missing 'StartAt' target: " + start, ptr + "/StartAt");
            return null;
        }
        // Transition targets, then reachability from StartAt.
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = stateObjects.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!(e.getValue() instanceof ObjectNode s)) {
                continue;
            }
            String sptr = ptr + "/States/" + e.getKey();
            List<String> targets = new ArrayList<>();
            target(s.get("Next"), "Next", sptr + "/Next", stateObjects, targets);
            target(s.get("Default"), "Default", sptr + "/Default", stateObjects, targets);
            if (s.get("Choices") instanceof ArrayNode choices) {
                for (int i = 0; i < choices.size(); i++) {
                    target(choices.get(i).get("Next"), "Next", sptr + "/Choices/" + i + "/Next", stateObjects, targets);
                }
            }
            if (s.get("Catch") instanceof ArrayNode catchers) {
                for (int i = 0; i < catchers.size(); i++) {
                    target(catchers.get(i).get("Next"), "Next", sptr + "/Catch/" + i + "/Next", stateObjects, targets);
                }
            }
            edges.put(e.getKey(), targets);
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
                reader.error("MISSING_TRANSITION_TARGET", "State \"" + name + "\" is not reachable.", ptr + "/States/" + name);
            }
        }
        boolean terminal = false;
        for (var e : stateObjects.properties()) {
            JsonNode s = e.getValue();
            String type = s.path("Type").asText();
            if (type.equals("Succeed") || type.equals("Fail") || s.path("End").asBoolean(false)) {
                terminal = true;
            }
        }
        if (!terminal && reader.errors().size() == errorsBefore) {
            reader.error("MISSING_END_STATE", "Workflow has no terminal state", DefinitionReader.at(ptr));
        }
        return new State.Graph(start, Map.copyOf(compiled));
    }

    private void target(JsonNode next, String field, String ptr, ObjectNode states, List<String> out) {
        if (next == null || !next.isTextual()) {
            return;
        }
        if (!states.has(next.textValue())) {
            reader.error("MISSING_TRANSITION_TARGET", "Missing '" + field + "' target: " + next.textValue(), ptr);
        } else {
            out.add(next.textValue());
        }
    }

    private State state(String name, ObjectNode s, String ptr) {
        JsonNode typeNode = s.get("Type");
        if (typeNode == null) {
            reader.error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Type]", ptr);
            return null;
        }
        String type = typeNode.asText();
        Set<String> allowed = ALLOWED.get(type);
        if (allowed == null || !typeNode.isTextual()) {
            reader.error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Type' must be one of "
                    + "[Choice, Fail, Map, Parallel, Pass, Succeed, Task, Wait]", ptr + "/Type");
            return null;
        }
        for (String field : DefinitionReader.iterable(s.fieldNames())) {
            if (!COMMON.contains(field) && !allowed.contains(field)) {
                reader.error("SCHEMA_VALIDATION_FAILED", "Field '" + field + "' is not supported for a " + type + " state",
                        ptr + "/" + field);
            }
        }
        JsonNode ql = s.get("QueryLanguage");
        if (ql != null && !"JSONPath".equals(ql.asText())) {
            reader.error("SCHEMA_VALIDATION_FAILED", "The QueryLanguage '" + ql.asText()
                    + "' is not supported by this engine; use JSONPath", ptr + "/QueryLanguage");
        }
        String next = null;
        if (allowed.contains("End")) {
            next = transition(s, ptr);
        }
        State.DataFlow io = dataFlow(s, ptr, allowed);
        return switch (type) {
            case "Pass" -> new State.Pass(name, io, s.get("Result"), next);
            case "Task" -> task(name, s, ptr, io, next);
            case "Choice" -> choice(name, s, ptr, io);
            case "Wait" -> waitState(name, s, ptr, io, next);
            case "Succeed" -> new State.Succeed(name, io);
            case "Fail" -> fail(name, s, ptr);
            case "Parallel" -> parallel(name, s, ptr, io, next);
            case "Map" -> map(name, s, ptr, io, next);
            default -> throw new IllegalStateException(type);
        };
    }

    private String transition(ObjectNode s, String ptr) {
        JsonNode next = s.get("Next");
        JsonNode end = s.get("End");
        if (end != null && !end.isBoolean()) {
            reader.error("SCHEMA_VALIDATION_FAILED", "The value for the field 'End' must be a BOOLEAN", ptr + "/End");
        }
        boolean isEnd = end != null && end.asBoolean(false);
        if (next != null && isEnd) {
            reader.error("SCHEMA_VALIDATION_FAILED", "Only one of the fields 'Next' and 'End' may be set", ptr);
        } else if (next == null && !isEnd) {
            reader.error("MISSING_TRANSITION_TARGET", "State must have either 'Next' or 'End': true", ptr);
        }
        if (next != null && !next.isTextual()) {
            reader.error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Next' must be a STRING", ptr + "/Next");
            return null;
        }
        return next == null ? null : next.textValue();
    }

    private State.DataFlow dataFlow(ObjectNode s, String ptr, Set<String> allowed) {
        AslPath input = reader.optionalPath(s, "InputPath", ptr, false);
        AslPath output = reader.optionalPath(s, "OutputPath", ptr, false);
        AslPath result = allowed.contains("ResultPath") ? reader.optionalPath(s, "ResultPath", ptr, true) : AslPath.ROOT;
        PayloadTemplate parameters = null;
        if (allowed.contains("Parameters") && !s.path("Type").asText().equals("Map")) {
            parameters = reader.template(s, "Parameters", ptr);
        }
        PayloadTemplate selector = allowed.contains("ResultSelector") ? reader.template(s, "ResultSelector", ptr) : null;
        PayloadTemplate assign = allowed.contains("Assign") ? reader.assign(s, ptr) : null;
        return new State.DataFlow(input, parameters, selector, result, output, assign);
    }

    private State task(String name, ObjectNode s, String ptr, State.DataFlow io, String next) {
        JsonNode resource = s.get("Resource");
        if (resource == null || !resource.isTextual()) {
            reader.error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Resource]", ptr);
        } else if (!resource.textValue().startsWith("arn:")) {
            reader.error("INVALID_RESOURCE", "Invalid Resource: " + resource.textValue(), ptr + "/Resource");
        }
        Integer timeout = null;
        AslPath timeoutPath = null;
        Integer heartbeat = null;
        AslPath heartbeatPath = null;
        if (s.has("TimeoutSeconds") && s.has("TimeoutSecondsPath")) {
            reader.error("SCHEMA_VALIDATION_FAILED", "Only one of the fields 'TimeoutSeconds' and 'TimeoutSecondsPath' may "
                    + "be set", ptr);
        }
        if (s.has("HeartbeatSeconds") && s.has("HeartbeatSecondsPath")) {
            reader.error("SCHEMA_VALIDATION_FAILED", "Only one of the fields 'HeartbeatSeconds' and 'HeartbeatSecondsPath' "
                    + "may be set", ptr);
        }
        if (s.has("TimeoutSeconds")) {
            timeout = reader.positiveInt(s.get("TimeoutSeconds"), "TimeoutSeconds", ptr, false);
        }
        if (s.has("TimeoutSecondsPath")) {
            timeoutPath = reader.path(s.get("TimeoutSecondsPath"), "TimeoutSecondsPath", ptr + "/TimeoutSecondsPath", true);
        }
        if (s.has("HeartbeatSeconds")) {
            heartbeat = reader.positiveInt(s.get("HeartbeatSeconds"), "HeartbeatSeconds", ptr, false);
        }
        if (s.has("HeartbeatSecondsPath")) {
            heartbeatPath = reader.path(s.get("HeartbeatSecondsPath"), "HeartbeatSecondsPath",
                    ptr + "/HeartbeatSecondsPath", true);
        }
        if (heartbeat != null && heartbeat >= (timeout == null ? 99999999 : timeout)) {
            reader.error("SCHEMA_VALIDATION_FAILED", "The value of 'HeartbeatSeconds' must be less than the value of "
                    + "'TimeoutSeconds'", ptr + "/HeartbeatSeconds");
        }
        return new State.Task(name, io, resource == null ? null : resource.asText(), timeout, timeoutPath, heartbeat,
                heartbeatPath, retryRules.retriers(s, ptr), retryRules.catchers(s, ptr), next);
    }

    private State choice(String name, ObjectNode s, String ptr, State.DataFlow io) {
        JsonNode choices = s.get("Choices");
        if (choices == null) {
            reader.error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Choices]", ptr);
            return null;
        }
        if (!(choices instanceof ArrayNode array) || array.isEmpty()) {
            reader.error("SCHEMA_VALIDATION_FAILED", "The field 'Choices' must be a non-empty ARRAY", ptr + "/Choices");
            return null;
        }
        List<ChoiceRule.Branch> branches = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String cptr = ptr + "/Choices/" + i;
            JsonNode c = array.get(i);
            ChoiceRule rule = rules.rule(c, cptr, true);
            JsonNode next = c.get("Next");
            if (next == null) {
                reader.error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Next]", cptr);
            }
            PayloadTemplate assign = c instanceof ObjectNode o ? reader.assign(o, cptr) : null;
            if (rule != null && next != null) {
                branches.add(new ChoiceRule.Branch(rule, next.asText(), assign));
            }
        }
        JsonNode def = s.get("Default");
        return new State.Choice(name, io, List.copyOf(branches), def == null ? null : def.asText());
    }

    private State waitState(String name, ObjectNode s, String ptr, State.DataFlow io, String next) {
        int count = 0;
        for (String f : List.of("Seconds", "Timestamp", "SecondsPath", "TimestampPath")) {
            if (s.has(f)) {
                count++;
            }
        }
        if (count != 1) {
            reader.error("SCHEMA_VALIDATION_FAILED", "Exactly one of the fields 'Seconds', 'Timestamp', 'SecondsPath' and "
                    + "'TimestampPath' must be set", ptr);
        }
        Long seconds = null;
        Instant timestamp = null;
        AslPath secondsPath = null;
        AslPath timestampPath = null;
        if (s.has("Seconds")) {
            Integer v = reader.positiveInt(s.get("Seconds"), "Seconds", ptr, true);
            seconds = v == null ? 0L : v.longValue();
        }
        if (s.has("Timestamp")) {
            JsonNode t = s.get("Timestamp");
            timestamp = t.isTextual() ? ChoiceRule.timestamp(t.textValue()) : null;
            if (timestamp == null) {
                reader.error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Timestamp' must be a valid timestamp",
                        ptr + "/Timestamp");
            }
        }
        if (s.has("SecondsPath")) {
            secondsPath = reader.path(s.get("SecondsPath"), "SecondsPath", ptr + "/SecondsPath", true);
        }
        if (s.has("TimestampPath")) {
            timestampPath = reader.path(s.get("TimestampPath"), "TimestampPath", ptr + "/TimestampPath", true);
        }
        return new State.Wait(name, io, seconds, timestamp, secondsPath, timestampPath, next);
    }

    private State fail(String name, ObjectNode s, String ptr) {
        if (s.has("Error") && s.has("ErrorPath")) {
            reader.error("SCHEMA_VALIDATION_FAILED", "Only one of the fields 'Error' and 'ErrorPath' may be set", ptr);
        }
        if (s.has("Cause") && s.has("CausePath")) {
            reader.error("SCHEMA_VALIDATION_FAILED", "Only one of the fields 'Cause' and 'CausePath' may be set", ptr);
        }
        PayloadTemplate errorPath = s.has("ErrorPath") ? reader.dynamicPath(s.get("ErrorPath"), "ErrorPath", ptr) : null;
        PayloadTemplate causePath = s.has("CausePath") ? reader.dynamicPath(s.get("CausePath"), "CausePath", ptr) : null;
        return new State.Fail(name, reader.text(s, "Error", ptr), reader.text(s, "Cause", ptr), errorPath, causePath);
    }

    private State parallel(String name, ObjectNode s, String ptr, State.DataFlow io, String next) {
        JsonNode branches = s.get("Branches");
        if (branches == null) {
            reader.error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Branches]", ptr);
            return null;
        }
        if (!(branches instanceof ArrayNode array) || array.isEmpty()) {
            reader.error("SCHEMA_VALIDATION_FAILED", "The field 'Branches' must be a non-empty ARRAY", ptr + "/Branches");
            return null;
        }
        List<State.Graph> graphs = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String bptr = ptr + "/Branches/" + i;
            if (!(array.get(i) instanceof ObjectNode b)) {
                reader.error("SCHEMA_VALIDATION_FAILED", "A branch must be an OBJECT", bptr);
                continue;
            }
            graphs.add(graph(b, bptr, BRANCH_FIELDS));
        }
        return new State.Parallel(name, io, graphs, retryRules.retriers(s, ptr), retryRules.catchers(s, ptr), next);
    }

    private State map(String name, ObjectNode s, String ptr, State.DataFlow io, String next) {
        JsonNode processor = s.get("ItemProcessor");
        String field = "ItemProcessor";
        if (processor == null) {
            processor = s.get("Iterator");
            field = "Iterator";
        } else if (s.has("Iterator")) {
            reader.error("SCHEMA_VALIDATION_FAILED", "Only one of the fields 'ItemProcessor' and 'Iterator' may be set", ptr);
        }
        if (s.has("ItemSelector") && s.has("Parameters")) {
            reader.error("SCHEMA_VALIDATION_FAILED", "Only one of the fields 'ItemSelector' and 'Parameters' may be set", ptr);
        }
        if (processor == null) {
            reader.error("SCHEMA_VALIDATION_FAILED", "These fields are required: [ItemProcessor]", ptr);
            return null;
        }
        if (!(processor instanceof ObjectNode p)) {
            reader.error("SCHEMA_VALIDATION_FAILED", "The value for the field '" + field + "' must be an OBJECT",
                    ptr + "/" + field);
            return null;
        }
        JsonNode mode = p.path("ProcessorConfig").path("Mode");
        if (!mode.isMissingNode() && !mode.asText().equals("INLINE")) {
            reader.error("SCHEMA_VALIDATION_FAILED", "Only the INLINE processor mode is supported by this engine",
                    ptr + "/" + field + "/ProcessorConfig/Mode");
        }
        State.Graph graph = graph(p, ptr + "/" + field, PROCESSOR_FIELDS);
        AslPath itemsPath = reader.optionalPath(s, "ItemsPath", ptr, true);
        if (itemsPath == null) {
            reader.error("SCHEMA_VALIDATION_FAILED", "The value for the field 'ItemsPath' must be a valid ReferencePath",
                    ptr + "/ItemsPath");
        }
        PayloadTemplate selector = reader.template(s, s.has("ItemSelector") ? "ItemSelector" : "Parameters", ptr);
        int maxConcurrency = 0;
        AslPath maxConcurrencyPath = null;
        if (s.has("MaxConcurrency")) {
            Integer v = reader.positiveInt(s.get("MaxConcurrency"), "MaxConcurrency", ptr, true);
            maxConcurrency = v == null ? 0 : v;
        }
        if (s.has("MaxConcurrencyPath")) {
            maxConcurrencyPath = reader.path(s.get("MaxConcurrencyPath"), "MaxConcurrencyPath", ptr + "/MaxConcurrencyPath",
                    true);
        }
        return new State.MapState(name, io, graph, itemsPath, selector, maxConcurrency, maxConcurrencyPath,
                retryRules.retriers(s, ptr), retryRules.catchers(s, ptr), next);
    }

}
