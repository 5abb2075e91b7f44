package com.orderflow.local.engine;

import com.fasterxml.jackson.databind.JsonNode;

/** A parsed and validated Amazon States Language definition, ready to run any number of times. */
public final class StateMachineDefinition {

    private final String json;
    private final JsonNode tree;

    private StateMachineDefinition(String json, JsonNode tree) {
        this.json = json;
        this.tree = tree;
    }

    /** Parses and validates as CreateStateMachine does; the exception message names the problem. */
    public static StateMachineDefinition parse(String json) throws InvalidDefinitionException {
        throw new UnsupportedOperationException("engine: not implemented yet");
    }

    /** The definition text exactly as given. */
    public String json() {
        return json;
    }

    /** The definition as a JSON tree (read-only by convention). */
    public JsonNode tree() {
        return tree;
    }
}
