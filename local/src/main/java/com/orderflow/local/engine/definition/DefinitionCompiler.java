package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.InvalidDefinitionException;
import com.orderflow.local.engine.definition.Diagnostics.Code;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates a definition the way CreateStateMachine does and compiles it into {@link State}s, graph by graph.
 * Problems are collected as {@code CODE: message at /pointer} strings, AWS's InvalidDefinition style.
 */
public final class DefinitionCompiler {

    private static final Set<String> TOP_FIELDS = Set.of("StartAt", "States", "Comment", "Version", "TimeoutSeconds",
            "QueryLanguage");

    private final Diagnostics problems = new Diagnostics();
    private final DefinitionReader reader = new DefinitionReader(problems);
    private final StateCompiler states = new StateCompiler(problems, reader, this::graph);
    private final Transitions transitions = new Transitions(problems);
    // state names are unique across the whole definition, branches and item processors included
    private final Set<String> allStateNames = new HashSet<>();

    /** The compiled top-level graph plus TimeoutSeconds. */
    public record Compiled(State.Graph graph, Integer timeoutSeconds) {
    }

    List<String> errors() {
        return problems.all();
    }

    List<InvalidDefinitionException.Diagnostic> diagnostics() {
        return problems.found();
    }

    Compiled compile(JsonNode root) {
        if (!(root instanceof ObjectNode)) {
            problems.schema("The state machine definition must be a JSON object", Site.root(root));
            return null;
        }
        Site top = Site.root(root);
        states.machineLanguage(reader.queryLanguage(top.field("QueryLanguage"), QueryLanguage.JSONPATH));
        Integer timeout = reader.positiveInt(top.field("TimeoutSeconds"), false);
        State.Graph graph = graph(top, TOP_FIELDS);
        return problems.isEmpty() ? new Compiled(graph, timeout) : null;
    }

    /** The top level, a Parallel branch or a Map item processor; null when (reported) it cannot be compiled. */
    private State.Graph graph(Site graph, Set<String> allowedFields) {
        int problemsBefore = problems.count();
        reader.unknownFields(graph, allowedFields);
        Site startAt = graph.field("StartAt");
        Site stateObjects = graph.field("States");
        List<String> missing = new ArrayList<>();
        if (!startAt.isPresent()) {
            missing.add("StartAt");
        }
        if (!stateObjects.isPresent()) {
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
        if (!stateObjects.node().isObject() || stateObjects.node().isEmpty()) {
            problems.schema("The field 'States' must be a non-empty OBJECT", stateObjects);
            return null;
        }
        Map<String, State> compiled = new LinkedHashMap<>();
        for (Site state : stateObjects.fields()) {
            State s = namedState(state);
            if (s != null) {
                compiled.put(state.name(), s);
            }
        }
        String start = startAt.node().textValue();
        if (!stateObjects.has(start)) {
            problems.report(Code.MISSING_TRANSITION_TARGET, "Missing 'StartAt' target: " + start, startAt);
            return null;
        }
        transitions.check(stateObjects, start);
        // a graph without an end is only worth reporting when nothing else is wrong with it
        if (!Transitions.anyTerminal(stateObjects) && problems.count() == problemsBefore) {
            problems.report(Code.MISSING_END_STATE, "Workflow has no terminal state", graph);
        }
        return new State.Graph(start, Map.copyOf(compiled));
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
        return states.compile(state);
    }
}
