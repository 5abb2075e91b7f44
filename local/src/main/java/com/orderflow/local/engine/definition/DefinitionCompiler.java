package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.expr.AslPath;
import com.orderflow.local.engine.expr.Intrinsic;
import com.orderflow.local.engine.expr.PayloadTemplate;
import com.orderflow.local.engine.expr.StateFailure;

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

    private final List<String> errors = new ArrayList<>();
    private final Set<String> allStateNames = new HashSet<>();

    /** The compiled top-level graph plus TimeoutSeconds. */
    public record Compiled(State.Graph graph, Integer timeoutSeconds) {
    }

    List<String> errors() {
        return errors;
    }

    Compiled compile(JsonNode root) {
        if (!(root instanceof ObjectNode top)) {
            error("SCHEMA_VALIDATION_FAILED", "The state machine definition must be a JSON object", "/");
            return null;
        }
        JsonNode ql = top.get("QueryLanguage");
        if (ql != null && !"JSONPath".equals(ql.asText())) {
            error("SCHEMA_VALIDATION_FAILED", "The QueryLanguage '" + ql.asText()
                    + "' is not supported by this engine; use JSONPath", "/QueryLanguage");
        }
        Integer timeout = null;
        JsonNode t = top.get("TimeoutSeconds");
        if (t != null) {
            timeout = positiveInt(t, "TimeoutSeconds", "", false);
        }
        State.Graph graph = graph(top, "", TOP_FIELDS);
        return errors.isEmpty() ? new Compiled(graph, timeout) : null;
    }

    private State.Graph graph(ObjectNode node, String ptr, Set<String> allowedFields) {
        int errorsBefore = errors.size();
        unknownFields(node, allowedFields, ptr);
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
            error("SCHEMA_VALIDATION_FAILED", "These fields are required: " + missing, at(ptr));
            return null;
        }
        if (!startAt.isTextual()) {
            error("SCHEMA_VALIDATION_FAILED", "The value for the field 'StartAt' must be a STRING", ptr + "/StartAt");
            return null;
        }
        if (!(states instanceof ObjectNode stateObjects) || states.isEmpty()) {
            error("SCHEMA_VALIDATION_FAILED", "The field 'States' must be a non-empty OBJECT", ptr + "/States");
            return null;
        }
        Map<String, State> compiled = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = stateObjects.fields(); it.hasNext(); ) {
            var e = it.next();
            String name = e.getKey();
            String sptr = ptr + "/States/" + name;
            if (!allStateNames.add(name)) {
                error("DUPLICATE_STATE_NAME", "Duplicate State name: " + name, sptr);
            }
            if (name.isEmpty() || name.length() > 80) {
                error("SCHEMA_VALIDATION_FAILED", "State names must be 1 to 80 characters long", sptr);
            }
            if (!(e.getValue() instanceof ObjectNode stateNode)) {
                error("SCHEMA_VALIDATION_FAILED", "The value for the state must be an OBJECT", sptr);
                continue;
            }
            State s = state(name, stateNode, sptr);
            if (s != null) {
                compiled.put(name, s);
            }
        }
        String start = startAt.textValue();
        if (!stateObjects.has(start)) {
            error("MISSING_TRANSITION_TARGET", "Missing 'StartAt' target: " + start, ptr + "/StartAt");
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
                error("MISSING_TRANSITION_TARGET", "State \"" + name + "\" is not reachable.", ptr + "/States/" + name);
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
        if (!terminal && errors.size() == errorsBefore) {
            error("MISSING_END_STATE", "Workflow has no terminal state", at(ptr));
        }
        return new State.Graph(start, Map.copyOf(compiled));
    }

    private void target(JsonNode next, String field, String ptr, ObjectNode states, List<String> out) {
        if (next == null || !next.isTextual()) {
            return;
        }
        if (!states.has(next.textValue())) {
            error("MISSING_TRANSITION_TARGET", "Missing '" + field + "' target: " + next.textValue(), ptr);
        } else {
            out.add(next.textValue());
        }
    }

    private State state(String name, ObjectNode s, String ptr) {
        JsonNode typeNode = s.get("Type");
        if (typeNode == null) {
            error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Type]", ptr);
            return null;
        }
        String type = typeNode.asText();
        Set<String> allowed = ALLOWED.get(type);
        if (allowed == null || !typeNode.isTextual()) {
            error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Type' must be one of "
                    + "[Choice, Fail, Map, Parallel, Pass, Succeed, Task, Wait]", ptr + "/Type");
            return null;
        }
        for (String field : iterable(s.fieldNames())) {
            if (!COMMON.contains(field) && !allowed.contains(field)) {
                error("SCHEMA_VALIDATION_FAILED", "Field '" + field + "' is not supported for a " + type + " state",
                        ptr + "/" + field);
            }
        }
        JsonNode ql = s.get("QueryLanguage");
        if (ql != null && !"JSONPath".equals(ql.asText())) {
            error("SCHEMA_VALIDATION_FAILED", "The QueryLanguage '" + ql.asText()
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
            error("SCHEMA_VALIDATION_FAILED", "The value for the field 'End' must be a BOOLEAN", ptr + "/End");
        }
        boolean isEnd = end != null && end.asBoolean(false);
        if (next != null && isEnd) {
            error("SCHEMA_VALIDATION_FAILED", "Only one of the fields 'Next' and 'End' may be set", ptr);
        } else if (next == null && !isEnd) {
            error("MISSING_TRANSITION_TARGET", "State must have either 'Next' or 'End': true", ptr);
        }
        if (next != null && !next.isTextual()) {
            error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Next' must be a STRING", ptr + "/Next");
            return null;
        }
        return next == null ? null : next.textValue();
    }

    private State.DataFlow dataFlow(ObjectNode s, String ptr, Set<String> allowed) {
        AslPath input = optionalPath(s, "InputPath", ptr, false);
        AslPath output = optionalPath(s, "OutputPath", ptr, false);
        AslPath result = allowed.contains("ResultPath") ? optionalPath(s, "ResultPath", ptr, true) : AslPath.ROOT;
        PayloadTemplate parameters = null;
        if (allowed.contains("Parameters") && !s.path("Type").asText().equals("Map")) {
            parameters = template(s, "Parameters", ptr);
        }
        PayloadTemplate selector = allowed.contains("ResultSelector") ? template(s, "ResultSelector", ptr) : null;
        PayloadTemplate assign = allowed.contains("Assign") ? assign(s, ptr) : null;
        return new State.DataFlow(input, parameters, selector, result, output, assign);
    }

    /** An Assign block: an object whose field names are variable names (a trailing .$ takes a path). */
    private PayloadTemplate assign(ObjectNode s, String ptr) {
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

    private PayloadTemplate template(ObjectNode s, String field, String ptr) {
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
    private AslPath optionalPath(ObjectNode s, String field, String ptr, boolean reference) {
        JsonNode node = s.get(field);
        if (node == null) {
            return AslPath.ROOT;
        }
        if (node.isNull()) {
            return null;
        }
        return path(node, field, ptr + "/" + field, reference);
    }

    private AslPath path(JsonNode node, String field, String ptr, boolean reference) {
        return path(node, field, ptr, reference, false);
    }

    private AslPath path(JsonNode node, String field, String ptr, boolean reference, boolean allowVariable) {
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

    private State task(String name, ObjectNode s, String ptr, State.DataFlow io, String next) {
        JsonNode resource = s.get("Resource");
        if (resource == null || !resource.isTextual()) {
            error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Resource]", ptr);
        } else if (!resource.textValue().startsWith("arn:")) {
            error("INVALID_RESOURCE", "Invalid Resource: " + resource.textValue(), ptr + "/Resource");
        }
        Integer timeout = null;
        AslPath timeoutPath = null;
        Integer heartbeat = null;
        AslPath heartbeatPath = null;
        if (s.has("TimeoutSeconds") && s.has("TimeoutSecondsPath")) {
            error("SCHEMA_VALIDATION_FAILED", "Only one of the fields 'TimeoutSeconds' and 'TimeoutSecondsPath' may "
                    + "be set", ptr);
        }
        if (s.has("HeartbeatSeconds") && s.has("HeartbeatSecondsPath")) {
            error("SCHEMA_VALIDATION_FAILED", "Only one of the fields 'HeartbeatSeconds' and 'HeartbeatSecondsPath' "
                    + "may be set", ptr);
        }
        if (s.has("TimeoutSeconds")) {
            timeout = positiveInt(s.get("TimeoutSeconds"), "TimeoutSeconds", ptr, false);
        }
        if (s.has("TimeoutSecondsPath")) {
            timeoutPath = path(s.get("TimeoutSecondsPath"), "TimeoutSecondsPath", ptr + "/TimeoutSecondsPath", true);
        }
        if (s.has("HeartbeatSeconds")) {
            heartbeat = positiveInt(s.get("HeartbeatSeconds"), "HeartbeatSeconds", ptr, false);
        }
        if (s.has("HeartbeatSecondsPath")) {
            heartbeatPath = path(s.get("HeartbeatSecondsPath"), "HeartbeatSecondsPath",
                    ptr + "/HeartbeatSecondsPath", true);
        }
        if (heartbeat != null && heartbeat >= (timeout == null ? 99999999 : timeout)) {
            error("SCHEMA_VALIDATION_FAILED", "The value of 'HeartbeatSeconds' must be less than the value of "
                    + "'TimeoutSeconds'", ptr + "/HeartbeatSeconds");
        }
        return new State.Task(name, io, resource == null ? null : resource.asText(), timeout, timeoutPath, heartbeat,
                heartbeatPath, retriers(s, ptr), catchers(s, ptr), next);
    }

    private Integer positiveInt(JsonNode node, String field, String ptr, boolean allowZero) {
        if (!node.canConvertToExactIntegral() || !node.isNumber() || node.asLong() < (allowZero ? 0 : 1)
                || node.asLong() > 99999999) {
            error("SCHEMA_VALIDATION_FAILED", "The value for the field '" + field + "' must be "
                    + (allowZero ? "a non-negative" : "a positive") + " integer", ptr + "/" + field);
            return null;
        }
        return node.asInt();
    }

    private List<State.Retrier> retriers(ObjectNode s, String ptr) {
        JsonNode retry = s.get("Retry");
        if (retry == null) {
            return List.of();
        }
        if (!(retry instanceof ArrayNode array)) {
            error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Retry' must be an ARRAY", ptr + "/Retry");
            return List.of();
        }
        List<State.Retrier> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String rptr = ptr + "/Retry/" + i;
            if (!(array.get(i) instanceof ObjectNode r)) {
                error("SCHEMA_VALIDATION_FAILED", "A retrier must be an OBJECT", rptr);
                continue;
            }
            unknownFields(r, Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds",
                    "JitterStrategy", "Comment"), rptr);
            List<String> errorsEquals = errorEquals(r, rptr, i == array.size() - 1, "retrier");
            double interval = 1;
            int maxAttempts = 3;
            double backoff = 2.0;
            Double maxDelay = null;
            boolean jitter = false;
            if (r.has("IntervalSeconds")) {
                Integer v = positiveInt(r.get("IntervalSeconds"), "IntervalSeconds", rptr, false);
                interval = v == null ? 1 : v;
            }
            if (r.has("MaxAttempts")) {
                Integer v = positiveInt(r.get("MaxAttempts"), "MaxAttempts", rptr, true);
                maxAttempts = v == null ? 3 : v;
            }
            if (r.has("BackoffRate")) {
                JsonNode b = r.get("BackoffRate");
                if (!b.isNumber() || b.asDouble() < 1.0) {
                    error("SCHEMA_VALIDATION_FAILED", "The value for the field 'BackoffRate' must be a NUMBER "
                            + "greater than or equal to 1.0", rptr + "/BackoffRate");
                } else {
                    backoff = b.asDouble();
                }
            }
            if (r.has("MaxDelaySeconds")) {
                Integer v = positiveInt(r.get("MaxDelaySeconds"), "MaxDelaySeconds", rptr, false);
                maxDelay = v == null ? null : v.doubleValue();
            }
            if (r.has("JitterStrategy")) {
                String j = r.get("JitterStrategy").asText();
                if (!j.equals("FULL") && !j.equals("NONE")) {
                    error("SCHEMA_VALIDATION_FAILED", "The value for the field 'JitterStrategy' must be one of "
                            + "[FULL, NONE]", rptr + "/JitterStrategy");
                }
                jitter = j.equals("FULL");
            }
            out.add(new State.Retrier(errorsEquals, interval, maxAttempts, backoff, maxDelay, jitter));
        }
        return List.copyOf(out);
    }

    private List<State.Catcher> catchers(ObjectNode s, String ptr) {
        JsonNode c = s.get("Catch");
        if (c == null) {
            return List.of();
        }
        if (!(c instanceof ArrayNode array)) {
            error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Catch' must be an ARRAY", ptr + "/Catch");
            return List.of();
        }
        List<State.Catcher> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String cptr = ptr + "/Catch/" + i;
            if (!(array.get(i) instanceof ObjectNode r)) {
                error("SCHEMA_VALIDATION_FAILED", "A catcher must be an OBJECT", cptr);
                continue;
            }
            unknownFields(r, Set.of("ErrorEquals", "ResultPath", "Next", "Comment", "Assign"), cptr);
            List<String> errorsEquals = errorEquals(r, cptr, i == array.size() - 1, "catcher");
            JsonNode next = r.get("Next");
            if (next == null || !next.isTextual()) {
                error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Next]", cptr);
            }
            AslPath resultPath = optionalPath(r, "ResultPath", cptr, true);
            out.add(new State.Catcher(errorsEquals, resultPath, next == null ? null : next.asText(), assign(r, cptr)));
        }
        return List.copyOf(out);
    }

    private List<String> errorEquals(ObjectNode r, String ptr, boolean last, String what) {
        JsonNode ee = r.get("ErrorEquals");
        if (!(ee instanceof ArrayNode array) || array.isEmpty()) {
            error("SCHEMA_VALIDATION_FAILED", "These fields are required: [ErrorEquals]", ptr);
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : array) {
            if (!e.isTextual()) {
                error("SCHEMA_VALIDATION_FAILED", "The values of 'ErrorEquals' must be STRINGs", ptr + "/ErrorEquals");
                continue;
            }
            out.add(e.textValue());
        }
        if (out.contains(StateFailure.ALL)) {
            if (out.size() > 1) {
                error("SCHEMA_VALIDATION_FAILED", "'States.ALL' must appear alone in 'ErrorEquals'",
                        ptr + "/ErrorEquals");
            } else if (!last) {
                error("SCHEMA_VALIDATION_FAILED", "A " + what + " with 'States.ALL' must be the last " + what,
                        ptr + "/ErrorEquals");
            }
        }
        return List.copyOf(out);
    }

    private State choice(String name, ObjectNode s, String ptr, State.DataFlow io) {
        JsonNode choices = s.get("Choices");
        if (choices == null) {
            error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Choices]", ptr);
            return null;
        }
        if (!(choices instanceof ArrayNode array) || array.isEmpty()) {
            error("SCHEMA_VALIDATION_FAILED", "The field 'Choices' must be a non-empty ARRAY", ptr + "/Choices");
            return null;
        }
        List<ChoiceRule.Branch> branches = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String cptr = ptr + "/Choices/" + i;
            JsonNode c = array.get(i);
            ChoiceRule rule = rule(c, cptr, true);
            JsonNode next = c.get("Next");
            if (next == null) {
                error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Next]", cptr);
            }
            PayloadTemplate assign = c instanceof ObjectNode o ? assign(o, cptr) : null;
            if (rule != null && next != null) {
                branches.add(new ChoiceRule.Branch(rule, next.asText(), assign));
            }
        }
        JsonNode def = s.get("Default");
        return new State.Choice(name, io, List.copyOf(branches), def == null ? null : def.asText());
    }

    private ChoiceRule rule(JsonNode node, String ptr, boolean top) {
        if (!(node instanceof ObjectNode c)) {
            error("SCHEMA_VALIDATION_FAILED", "A choice rule must be an OBJECT", ptr);
            return null;
        }
        if (!top && c.has("Assign")) {
            error("SCHEMA_VALIDATION_FAILED", "Field 'Assign' is not allowed in a nested choice rule", ptr + "/Assign");
        }
        if (!top && c.has("Next")) {
            error("SCHEMA_VALIDATION_FAILED", "Field 'Next' is not allowed in a nested choice rule", ptr + "/Next");
        }
        for (String f : iterable(c.fieldNames())) {
            if (!f.equals("Next") && !f.equals("Comment") && !f.equals("Variable") && !f.equals("Assign") && !f.equals("And")
                    && !f.equals("Or") && !f.equals("Not") && !ChoiceRule.Operator.NAMES.contains(f)) {
                error("SCHEMA_VALIDATION_FAILED", "Field '" + f + "' is not supported in a choice rule", ptr + "/" + f);
            }
        }
        if (c.has("And") || c.has("Or")) {
            String op = c.has("And") ? "And" : "Or";
            if (!(c.get(op) instanceof ArrayNode list) || list.isEmpty()) {
                error("SCHEMA_VALIDATION_FAILED", "The value for the field '" + op + "' must be a non-empty ARRAY",
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
            error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Variable]", ptr);
            return null;
        }
        AslPath var = path(variable, "Variable", ptr + "/Variable", false, true);
        List<String> ops = new ArrayList<>();
        for (String f : iterable(c.fieldNames())) {
            if (ChoiceRule.Operator.NAMES.contains(f)) {
                ops.add(f);
            }
        }
        if (ops.size() != 1) {
            error("SCHEMA_VALIDATION_FAILED", "A choice rule must have exactly one comparison operator", ptr);
            return null;
        }
        String opName = ops.get(0);
        boolean isPath = opName.endsWith("Path");
        ChoiceRule.Operator op = ChoiceRule.Operator.valueOf(isPath ? opName.substring(0, opName.length() - 4) : opName);
        JsonNode value = c.get(opName);
        String vptr = ptr + "/" + opName;
        if (isPath) {
            AslPath other = path(value, opName, vptr, false, true);
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
            error("SCHEMA_VALIDATION_FAILED", "The value for the field '" + opName + "' must be " + kind, vptr);
        }
        return new ChoiceRule.Comparison(var, op, value, null);
    }

    private State waitState(String name, ObjectNode s, String ptr, State.DataFlow io, String next) {
        int count = 0;
        for (String f : List.of("Seconds", "Timestamp", "SecondsPath", "TimestampPath")) {
            if (s.has(f)) {
                count++;
            }
        }
        if (count != 1) {
            error("SCHEMA_VALIDATION_FAILED", "Exactly one of the fields 'Seconds', 'Timestamp', 'SecondsPath' and "
                    + "'TimestampPath' must be set", ptr);
        }
        Long seconds = null;
        Instant timestamp = null;
        AslPath secondsPath = null;
        AslPath timestampPath = null;
        if (s.has("Seconds")) {
            Integer v = positiveInt(s.get("Seconds"), "Seconds", ptr, true);
            seconds = v == null ? 0L : v.longValue();
        }
        if (s.has("Timestamp")) {
            JsonNode t = s.get("Timestamp");
            timestamp = t.isTextual() ? ChoiceRule.timestamp(t.textValue()) : null;
            if (timestamp == null) {
                error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Timestamp' must be a valid timestamp",
                        ptr + "/Timestamp");
            }
        }
        if (s.has("SecondsPath")) {
            secondsPath = path(s.get("SecondsPath"), "SecondsPath", ptr + "/SecondsPath", true);
        }
        if (s.has("TimestampPath")) {
            timestampPath = path(s.get("TimestampPath"), "TimestampPath", ptr + "/TimestampPath", true);
        }
        return new State.Wait(name, io, seconds, timestamp, secondsPath, timestampPath, next);
    }

    private State fail(String name, ObjectNode s, String ptr) {
        if (s.has("Error") && s.has("ErrorPath")) {
            error("SCHEMA_VALIDATION_FAILED", "Only one of the fields 'Error' and 'ErrorPath' may be set", ptr);
        }
        if (s.has("Cause") && s.has("CausePath")) {
            error("SCHEMA_VALIDATION_FAILED", "Only one of the fields 'Cause' and 'CausePath' may be set", ptr);
        }
        PayloadTemplate errorPath = s.has("ErrorPath") ? dynamicPath(s.get("ErrorPath"), "ErrorPath", ptr) : null;
        PayloadTemplate causePath = s.has("CausePath") ? dynamicPath(s.get("CausePath"), "CausePath", ptr) : null;
        return new State.Fail(name, text(s, "Error", ptr), text(s, "Cause", ptr), errorPath, causePath);
    }

    /** ErrorPath/CausePath: a reference path or an intrinsic function, compiled as a one-field template. */
    private PayloadTemplate dynamicPath(JsonNode node, String field, String ptr) {
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

    private String text(ObjectNode s, String field, String ptr) {
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

    private State parallel(String name, ObjectNode s, String ptr, State.DataFlow io, String next) {
        JsonNode branches = s.get("Branches");
        if (branches == null) {
            error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Branches]", ptr);
            return null;
        }
        if (!(branches instanceof ArrayNode array) || array.isEmpty()) {
            error("SCHEMA_VALIDATION_FAILED", "The field 'Branches' must be a non-empty ARRAY", ptr + "/Branches");
            return null;
        }
        List<State.Graph> graphs = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String bptr = ptr + "/Branches/" + i;
            if (!(array.get(i) instanceof ObjectNode b)) {
                error("SCHEMA_VALIDATION_FAILED", "A branch must be an OBJECT", bptr);
                continue;
            }
            graphs.add(graph(b, bptr, BRANCH_FIELDS));
        }
        return new State.Parallel(name, io, graphs, retriers(s, ptr), catchers(s, ptr), next);
    }

    private State map(String name, ObjectNode s, String ptr, State.DataFlow io, String next) {
        JsonNode processor = s.get("ItemProcessor");
        String field = "ItemProcessor";
        if (processor == null) {
            processor = s.get("Iterator");
            field = "Iterator";
        } else if (s.has("Iterator")) {
            error("SCHEMA_VALIDATION_FAILED", "Only one of the fields 'ItemProcessor' and 'Iterator' may be set", ptr);
        }
        if (s.has("ItemSelector") && s.has("Parameters")) {
            error("SCHEMA_VALIDATION_FAILED", "Only one of the fields 'ItemSelector' and 'Parameters' may be set", ptr);
        }
        if (processor == null) {
            error("SCHEMA_VALIDATION_FAILED", "These fields are required: [ItemProcessor]", ptr);
            return null;
        }
        if (!(processor instanceof ObjectNode p)) {
            error("SCHEMA_VALIDATION_FAILED", "The value for the field '" + field + "' must be an OBJECT",
                    ptr + "/" + field);
            return null;
        }
        JsonNode mode = p.path("ProcessorConfig").path("Mode");
        if (!mode.isMissingNode() && !mode.asText().equals("INLINE")) {
            error("SCHEMA_VALIDATION_FAILED", "Only the INLINE processor mode is supported by this engine",
                    ptr + "/" + field + "/ProcessorConfig/Mode");
        }
        State.Graph graph = graph(p, ptr + "/" + field, PROCESSOR_FIELDS);
        AslPath itemsPath = optionalPath(s, "ItemsPath", ptr, true);
        if (itemsPath == null) {
            error("SCHEMA_VALIDATION_FAILED", "The value for the field 'ItemsPath' must be a valid ReferencePath",
                    ptr + "/ItemsPath");
        }
        PayloadTemplate selector = template(s, s.has("ItemSelector") ? "ItemSelector" : "Parameters", ptr);
        int maxConcurrency = 0;
        AslPath maxConcurrencyPath = null;
        if (s.has("MaxConcurrency")) {
            Integer v = positiveInt(s.get("MaxConcurrency"), "MaxConcurrency", ptr, true);
            maxConcurrency = v == null ? 0 : v;
        }
        if (s.has("MaxConcurrencyPath")) {
            maxConcurrencyPath = path(s.get("MaxConcurrencyPath"), "MaxConcurrencyPath", ptr + "/MaxConcurrencyPath",
                    true);
        }
        return new State.MapState(name, io, graph, itemsPath, selector, maxConcurrency, maxConcurrencyPath,
                retriers(s, ptr), catchers(s, ptr), next);
    }

    private void unknownFields(ObjectNode node, Set<String> allowed, String ptr) {
        for (String f : iterable(node.fieldNames())) {
            if (!allowed.contains(f)) {
                error("SCHEMA_VALIDATION_FAILED", "Field '" + f + "' is not supported", at(ptr) + (ptr.isEmpty() ? "" : "/") + f);
            }
        }
    }

    private static String at(String ptr) {
        return ptr.isEmpty() ? "/" : ptr;
    }

    private void error(String code, String message, String ptr) {
        errors.add(code + ": " + message + " at " + ptr);
    }

    private static <T> Iterable<T> iterable(Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
