package com.orderflow.local.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an expression sees while it is evaluated: the state's data ({@code $}), the context object ({@code $$}), variables,
 * and for JSONata the {@code $states} fields.
 */
public interface EvaluationScope {
    JsonNode input();

    JsonNode context();

    /** The same scope with {@code $} bound to {@code data}. */
    EvaluationScope on(JsonNode data);

    /** A workflow variable's value, or null when it is not set. */
    default JsonNode variable(String name) {
        return null;
    }

    /** JSONata's {@code $states.input}: the state's raw input, whatever {@code $} is bound to. */
    default JsonNode stateInput() {
        return input();
    }

    /** JSONata's {@code $states.result}: a Task's, Parallel's or Map's result, null before there is one. */
    default JsonNode result() {
        return null;
    }

    /** JSONata's {@code $states.errorOutput}: the error a Catcher caught, null elsewhere. */
    default JsonNode errorOutput() {
        return null;
    }
}
