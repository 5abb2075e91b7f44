package com.orderflow.local.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;

/** What an expression sees while it is evaluated: the state's data ({@code $}), the context object ({@code $$}), variables. */
public interface EvaluationScope {
    JsonNode input();

    JsonNode context();

    /** The same scope with {@code $} bound to {@code data}. */
    EvaluationScope on(JsonNode data);

    /** A workflow variable's value, or null when it is not set. */
    default JsonNode variable(String name) {
        return null;
    }
}
