package com.orderflow.local.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSONPath data flow: InputPath, Parameters, ResultSelector, Assign, ResultPath, OutputPath. A null
 * {@link AslPath} stands for a JSON {@code null} in the definition (discard); an absent field is
 * {@link AslPath#ROOT}. Templates are null when absent.
 */
public record PathDataFlow(AslPath inputPath, PayloadTemplate parameters, PayloadTemplate resultSelector,
                           AslPath resultPath, AslPath outputPath, PayloadTemplate assign) implements DataFlow {

    @Override
    public JsonNode effectiveInput(JsonNode raw, EvaluationScope scope) {
        return selectIn(inputPath, raw, scope);
    }

    @Override
    public JsonNode arguments(JsonNode effective, EvaluationScope scope) {
        return parameters == null ? effective : parameters.evaluate(scope.on(effective));
    }

    @Override
    public JsonNode selectResult(JsonNode result, EvaluationScope scope) {
        return resultSelector == null ? result : resultSelector.evaluate(scope.on(result));
    }

    @Override
    public ObjectNode assignments(JsonNode data, EvaluationScope scope) {
        return assign == null ? null : (ObjectNode) assign.evaluate(scope.on(data));
    }

    @Override
    public JsonNode output(JsonNode raw, JsonNode result, EvaluationScope scope) {
        JsonNode combined;
        if (resultPath == null) {
            combined = raw;
        } else {
            combined = resultPath.set(raw, result);
            if (combined == null) {
                throw StateFailure.engine(StateFailure.RESULT_PATH_MATCH_FAILURE, "Unable to apply ResultPath '"
                        + resultPath.text() + "' to input '" + JsonText.write(raw) + "'");
            }
        }
        return selectOutput(combined, scope);
    }

    @Override
    public JsonNode output(JsonNode effective, EvaluationScope scope) {
        return selectOutput(effective, scope);
    }

    /** OutputPath over the data, or over a workflow variable ({@code $name.rest}) as it was before this state's Assign. */
    private JsonNode selectOutput(JsonNode data, EvaluationScope scope) {
        return selectIn(outputPath, data, scope);
    }

    /** {@link #select}, or for a path that names a workflow variable ({@code $answer.x}) the value in that variable. */
    private static JsonNode selectIn(AslPath path, JsonNode data, EvaluationScope scope) {
        if (path == null || path.variable() == null) {
            return select(path, data);
        }
        JsonNode root = scope.variable(path.variable());
        JsonNode value = root == null ? null : path.read(root);
        if (value == null) {
            throw StateFailure.engine(StateFailure.RUNTIME, "Invalid path '" + path.text() + "' : "
                    + path.whyMissing(root == null ? JsonText.NODES.missingNode() : root));
        }
        return value;
    }

    /** The value at {@code path} ({@code {}} for a null path, all of {@code data} for {@code $}); States.Runtime when absent. */
    public static JsonNode select(AslPath path, JsonNode data) {
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
}
