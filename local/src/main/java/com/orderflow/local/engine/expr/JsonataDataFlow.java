package com.orderflow.local.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSONata data flow: {@code Arguments}, {@code Output} and {@code Assign}, each over {@code $states}. The state
 * works on its raw input, keeps its whole result, and outputs it unless {@code Output} says otherwise. Templates are
 * null when absent.
 */
public record JsonataDataFlow(JsonataTemplate arguments, JsonataTemplate output, JsonataTemplate assign)
        implements DataFlow {

    @Override
    public JsonNode effectiveInput(JsonNode raw, EvaluationScope scope) {
        return raw;
    }

    @Override
    public JsonNode arguments(JsonNode effective, EvaluationScope scope) {
        return arguments == null ? effective : arguments.evaluate(scope);
    }

    @Override
    public JsonNode selectResult(JsonNode result, EvaluationScope scope) {
        return result;
    }

    @Override
    public ObjectNode assignments(JsonNode data, EvaluationScope scope) {
        return assign == null ? null : (ObjectNode) assign.evaluate(scope);
    }

    @Override
    public JsonNode output(JsonNode raw, JsonNode result, EvaluationScope scope) {
        return output == null ? result : output.evaluate(scope);
    }

    @Override
    public JsonNode output(JsonNode effective, EvaluationScope scope) {
        return output == null ? effective : output.evaluate(scope);
    }
}
