package com.orderflow.local.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.BiConsumer;

/**
 * The stages of a JSONPath state's data flow that TestState's {@code inspectionData} shows at DEBUG and TRACE:
 * {@code afterInputPath}, {@code afterParameters}, {@code afterResultSelector} and {@code afterResultPath}, worked out
 * from the state's own fields, its raw input and its raw result, as the engine applies them. A stage the state cannot
 * reach (it failed before, or an expression does not evaluate) is left out, as AWS leaves it out.
 */
public final class InspectionStages {

    private InspectionStages() {
    }

    /**
     * Puts each stage into {@code into} (AWS's member names, JSON text values).
     *
     * @param state     the state's definition
     * @param input     its raw input
     * @param result    its raw result, or null when it has none (it failed, or it is a Choice)
     * @param variables the workflow variables it sees
     * @param context   the context object ({@code $$})
     */
    public static void put(JsonNode state, JsonNode input, JsonNode result, ObjectNode variables, JsonNode context,
                           ObjectNode into) {
        BiConsumer<String, JsonNode> stage = (name, value) -> {
            if (value != null) {
                into.put(name, JsonText.write(value));
            }
        };
        var scope = new Scope(input, context, variables);
        try {
            JsonNode effective = PathDataFlow.select(path(state, "InputPath"), input);
            stage.accept("afterInputPath", effective);
            if (state.hasNonNull("Parameters")) {
                stage.accept("afterParameters", PayloadTemplate.compile(state.get("Parameters")).evaluate(scope.on(effective)));
            } else {
                stage.accept("afterParameters", effective);
            }
            if (result == null) {
                return;
            }
            JsonNode selected = state.hasNonNull("ResultSelector")
                    ? PayloadTemplate.compile(state.get("ResultSelector")).evaluate(scope.on(result)) : result;
            stage.accept("afterResultSelector", selected);
            var resultPath = path(state, "ResultPath");
            stage.accept("afterResultPath", resultPath == null ? input : resultPath.set(input, selected));
        } catch (RuntimeException e) {
            // the run itself reports why the state failed; the stages it did not reach are not shown
        }
    }

    /** A path field: null for a JSON null (discard), {@code $} when absent. */
    private static AslPath path(JsonNode state, String field) {
        if (!state.has(field)) {
            return AslPath.ROOT;
        }
        var value = state.get(field);
        return value.isNull() ? null : AslPath.parse(value.asText());
    }

    private record Scope(JsonNode input, JsonNode context, ObjectNode variables) implements EvaluationScope {
        @Override
        public EvaluationScope on(JsonNode data) {
            return new Scope(data, context, variables);
        }

        @Override
        public JsonNode variable(String name) {
            return variables == null ? null : variables.get(name);
        }
    }
}
