package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.InvalidDefinitionException;
import com.orderflow.local.engine.InvalidDefinitionException.Diagnostic;
import com.orderflow.local.engine.expr.JsonText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** A parsed and validated Amazon States Language definition, ready to run any number of times. */
public final class StateMachineDefinition {

    private final String json;
    private final JsonNode tree;
    private final DefinitionCompiler.Compiled compiled;

    private StateMachineDefinition(String json, JsonNode tree, DefinitionCompiler.Compiled compiled) {
        this.json = json;
        this.tree = tree;
        this.compiled = compiled;
    }

    /** Parses and validates as CreateStateMachine does; the exception message names the problem. */
    public static StateMachineDefinition parse(String json) throws InvalidDefinitionException {
        if (json == null || json.isBlank()) {
            throw new InvalidDefinitionException("Invalid State Machine Definition: "
                    + "'INVALID_JSON_DESCRIPTION: The definition is empty'",
                    List.of(new Diagnostic("INVALID_JSON_DESCRIPTION", "The definition is empty", null)));
        }
        JsonNode tree;
        try {
            tree = JsonText.read(json);
        } catch (JsonProcessingException e) {
            throw new InvalidDefinitionException("Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: "
                    + e.getOriginalMessage() + "'",
                    List.of(new Diagnostic("INVALID_JSON_DESCRIPTION", e.getOriginalMessage(), null)));
        }
        var compiler = new DefinitionCompiler();
        DefinitionCompiler.Compiled compiled = compiler.compile(tree);
        if (compiled == null) {
            throw new InvalidDefinitionException("Invalid State Machine Definition: '"
                    + String.join(", ", compiler.errors()) + "'", compiler.diagnostics());
        }
        return new StateMachineDefinition(json, tree, compiled);
    }

    /** The definition text exactly as given. */
    public String json() {
        return json;
    }

    /** The definition as a JSON tree (read-only by convention). */
    public JsonNode tree() {
        return tree;
    }

    public DefinitionCompiler.Compiled compiled() {
        return compiled;
    }
}
