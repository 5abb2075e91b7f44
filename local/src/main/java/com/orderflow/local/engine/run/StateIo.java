package com.orderflow.local.engine.run;

import com.orderflow.local.engine.definition.State;
import com.orderflow.local.engine.expr.AslPath;
import com.orderflow.local.engine.expr.JsonText;
import com.orderflow.local.engine.expr.PayloadTemplate;
import com.orderflow.local.engine.expr.StateFailure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A state's JSONPath data flow: InputPath, Parameters, ResultSelector, Assign, ResultPath, OutputPath. */
public final class StateIo {

    private StateIo() {
    }


    static JsonNode inputPath(State.DataFlow io, JsonNode raw) {
        return select(io.inputPath(), raw);
    }

    static JsonNode outputPath(State.DataFlow io, JsonNode data) {
        return select(io.outputPath(), data);
    }

    static JsonNode select(AslPath path, JsonNode data) {
        if (path == null) {
            return JsonText.NODES.objectNode();
        }
        if (path.isRoot()) {
            return data;
        }
        JsonNode value = path.read(data);
        if (value == null) {
            throw StateFailure.engine(StateFailure.RUNTIME, "Invalid path '" + path.text() + "' : "
                    + path.whyMissing(data));
        }
        return value;
    }

    static JsonNode parameters(State.DataFlow io, JsonNode effective, StateScope scope) {
        return io.parameters() == null ? effective : io.parameters().evaluate(scope.on(effective));
    }

    static JsonNode applyResult(State.DataFlow io, JsonNode raw, JsonNode result, StateScope scope, Cursor cursor) {
        if (io.resultSelector() != null) {
            result = io.resultSelector().evaluate(scope.on(result));
        }
        // Assign sees the (selected) result; its variables are not visible to this state's own output.
        assign(io.assign(), result, scope, cursor);
        JsonNode combined;
        if (io.resultPath() == null) {
            combined = raw;
        } else {
            combined = io.resultPath().set(raw, result);
            if (combined == null) {
                throw StateFailure.engine(StateFailure.RESULT_PATH_MATCH_FAILURE, "Unable to apply ResultPath '"
                        + io.resultPath().text() + "' to input '" + JsonText.write(raw) + "'");
            }
        }
        return outputPath(io, combined);
    }

    /** Evaluates an Assign block against {@code data} and sets its variables together. */
    static void assign(PayloadTemplate assign, JsonNode data, StateScope scope, Cursor cursor) {
        if (assign != null) {
            ObjectNode values = (ObjectNode) assign.evaluate(scope.on(data));
            cursor.variables.assign(values);
            cursor.assigned = values;
        }
    }
}
