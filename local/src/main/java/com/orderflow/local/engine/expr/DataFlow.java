package com.orderflow.local.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A state's data flow in its query language: what the state works on, its arguments, and how its result becomes
 * its output. The engine's steps ask only this, in this order; {@link PathDataFlow} is JSONPath's and
 * {@link JsonataDataFlow} JSONata's, chosen per state when the definition is compiled. The scopes passed to
 * {@link #assignments} and {@link #output(JsonNode, JsonNode, EvaluationScope)} carry the state's result.
 */
public interface DataFlow {

    /**
     * What the state works on, from its raw input (JSONPath: {@code InputPath}, which may read a workflow variable as
     * it was before this state's Assign).
     */
    JsonNode effectiveInput(JsonNode raw, EvaluationScope scope);

    /**
     * What a Task is invoked with, a Parallel's branches start from, a Pass passes on (JSONPath: {@code Parameters},
     * JSONata: {@code Arguments}; the effective input when there are none), evaluated in the state's scope.
     */
    JsonNode arguments(JsonNode effective, EvaluationScope scope);

    /** The part of a result the state keeps (JSONPath: {@code ResultSelector}). */
    JsonNode selectResult(JsonNode result, EvaluationScope scope);

    /** The variables the state assigns, evaluated on {@code data}; null when it assigns none. */
    ObjectNode assignments(JsonNode data, EvaluationScope scope);

    /**
     * The state's output from its raw input and the result it kept (JSONPath: {@code ResultPath}, then
     * {@code OutputPath}; JSONata: {@code Output}, the result when there is none).
     */
    JsonNode output(JsonNode raw, JsonNode result, EvaluationScope scope);

    /** The output of a state without a result, from its effective input (Choice, Wait, Succeed). */
    JsonNode output(JsonNode effective, EvaluationScope scope);
}
