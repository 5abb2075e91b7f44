package com.orderflow.local.engine.run;

import com.orderflow.local.engine.expr.DataFlow;
import com.orderflow.local.engine.expr.PayloadTemplate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A state's data flow as the steps run it, in whatever query language the state is written in. */
final class StateIo {

    private StateIo() {
    }

    /**
     * A result's way to the state's output; Assign sees the kept result, and its variables are not visible to this
     * state's own output: both are evaluated before the variables are set.
     */
    static JsonNode applyResult(DataFlow io, JsonNode raw, JsonNode result, StateScope scope, Cursor cursor) {
        JsonNode kept = io.selectResult(result, scope);
        StateScope withResult = scope.withResult(kept);
        ObjectNode values = io.assignments(kept, withResult);
        JsonNode output = io.output(raw, kept, withResult);
        assigned(values, cursor);
        return output;
    }

    /** The state's own Assign, evaluated against {@code data}. */
    static void assign(DataFlow io, JsonNode data, StateScope scope, Cursor cursor) {
        assigned(io.assignments(data, scope), cursor);
    }

    /** An Assign block of a Choice rule or a Catcher, evaluated against {@code data}. */
    static void assign(PayloadTemplate assign, JsonNode data, StateScope scope, Cursor cursor) {
        assigned(assignments(assign, data, scope), cursor);
    }

    /** What an Assign block of a Choice rule or a Catcher sets, without setting it yet; null for none. */
    static ObjectNode assignments(PayloadTemplate assign, JsonNode data, StateScope scope) {
        return assign == null ? null : (ObjectNode) assign.evaluate(scope.on(data));
    }

    /** Sets what {@link #assignments} computed. */
    static void assign(ObjectNode values, Cursor cursor) {
        assigned(values, cursor);
    }

    /** Sets the variables together. */
    private static void assigned(ObjectNode values, Cursor cursor) {
        if (values != null) {
            cursor.variables.assign(values);
            cursor.assigned = values;
        }
    }
}
