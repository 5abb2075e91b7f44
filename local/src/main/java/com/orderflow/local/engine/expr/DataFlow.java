package com.orderflow.local.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A state's data flow in its query language: what the state works on, its arguments, and how its result becomes
 * its output. The engine's steps ask only this, in this order, so a second query language (JSONata's
 * {@code Arguments}, {@code Output} and {@code Assign} over {@code $states}) is a second implementation beside
 * {@link PathDataFlow}, chosen per state when the definition is compiled.
 */
public interface DataFlow {

    /** What the state works on, from its raw input (JSONPath: {@code InputPath}). */
    JsonNode effectiveInput(JsonNode raw);

    /**
     * What a Task is invoked with, a Parallel's branches start from, a Pass passes on (JSONPath: {@code Parameters},
     * the effective input when there are none), evaluated in the state's scope.
     */
    JsonNode arguments(JsonNode effective, EvaluationScope scope);

    /** The part of a result the state keeps (JSONPath: {@code ResultSelector}). */
    JsonNode selectResult(JsonNode result, EvaluationScope scope);

    /** The variables the state assigns, evaluated on {@code data}; null when it assigns none. */
    ObjectNode assignments(JsonNode data, EvaluationScope scope);

    /** The state's output from its raw input and the result it kept (JSONPath: {@code ResultPath}, then {@code OutputPath}). */
    JsonNode output(JsonNode raw, JsonNode result);

    /** The output of a state without a result, from its effective input (Choice, Wait, Succeed; JSONPath: {@code OutputPath}). */
    JsonNode output(JsonNode effective);
}
