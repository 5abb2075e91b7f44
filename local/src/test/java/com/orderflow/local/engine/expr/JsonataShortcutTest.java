package com.orderflow.local.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shortcut against the library on every pair of a set of expressions and a set of inputs chosen to sit on the
 * edges (arrays where objects are expected, nulls, doubles that are whole, numbers past 2^53, missing fields,
 * strings beside numbers): wherever the shortcut answers, its answer is the library's, node type and all.
 */
class JsonataShortcutTest {

    private static final List<String> EXPRESSIONS = List.of(
            "$states.input", "$states.input.id", "$states.input.n", "$states.input.order.id",
            "$states.input.order.items", "$states.input.order.items[0]",
            "$states.input.order.items[1].sku", "$states.input.order.items[2].sku", "$states.input.items[0].sku",
            "$states.input.id[0]", "$states.input.id[1]", "$states.input.order[0].id", "$states.input.nested[0]",
            "$states.input.nested[1][0]", "$states.result[1].side", "$states.input.order.items[0][0]",
            "$states.input.items", "$states.input.items.sku", "$states.input.missing.x",
            "$states.input.none", "$states.input.id.x", "$states.result", "$states.result.side",
            "$states.context.Execution.Name", "$states.errorOutput.Error", "$order.id", "$order", "$unset.x", "$unset",
            "$count", "{'id': $states.input.id, 'n': $states.input.n}", "{'a': $states.input.none, 'b': 1}", "{}",
            "{'nested': {'x': $states.input.order}}", "$merge([$states.input, {'status': 'done'}])",
            "$merge([$states.input, {'branches': $states.result}])", "$merge([$states.input.order, $order])",
            "$merge([$states.input.items, {'x': 1}])", "$merge([])", "$states.input.n + 1", "$states.input.n * 2.5",
            "$states.input.n / 0", "0 / 0", "$states.input.n % 2", "$states.input.n - $states.input.none",
            "$states.input.id + 1", "$states.input.big + 1", "$states.input.big * 1", "$states.input.whole + 0", "$states.input.whole * 128",
            "1 + 2 * 3", "(1 + 2) * 3", "10 - 4 - 3", "2 * 3 % 4", "1.5e3 + 0", "$states.input.n > 2",
            "$states.input.n >= 3", "$states.input.n < 3.5", "$states.input.n < 3", "$states.input.n > 3",
            "$states.input.n <= 2", "$states.input.id < 'abc'", "$states.input.whole >= 3", "$order.n < $states.input.n", "$states.input.id <= 'abd'", "$states.input.id > 3",
            "$states.input.none > 3", "$states.input.flag > true", "$states.input.n = 3", "$states.input.whole = 3",
            "$states.input.id = 'abc'", "$states.input.id != 'abc'", "$states.input.none = null",
            "$states.input.nul = null", "$states.input.none != 1", "$states.input.order = $order",
            "$states.input.flag and $states.input.n > 2", "$states.input.flag or $states.input.missing",
            "$states.input.n > 5 or $states.input.id = 'abc' and $states.input.flag", "$states.input.items and true",
            "$states.input.id & '-' & $states.input.n", "$states.input.none & 'x'", "$states.input.order & ''",
            "'a' & $states.input.flag", "true", "false", "null", "'text'", "\"double\"", "42", "0.5",
            "$states.input.n > 2 = true", "$merge([{'a': 1}, {'a': 2, 'b': 3}])");

    private static final List<String> INPUTS = List.of(
            "{\"id\":\"abc\",\"n\":3,\"whole\":3.0,\"big\":12345678901234567890,\"flag\":true,\"nul\":null,"
                    + "\"order\":{\"id\":\"o-1\",\"items\":[{\"sku\":\"A\"},{\"sku\":\"B\"}]},\"items\":[{\"sku\":\"C\"}]}",
            "{\"id\":7,\"n\":\"3\",\"flag\":\"yes\",\"order\":[1,2],\"items\":{\"sku\":\"D\"}}",
            "[{\"id\":\"x\"},{\"id\":\"y\"}]",
            "\"just a string\"",
            "{\"nested\":[[1,2],[3]],\"n\":-0.0,\"whole\":9007199254740993,\"order\":{\"id\":null}}");

    @Test
    void whereverTheShortcutAnswers_itAnswersAsTheLibrary() {
        int answered = 0;
        List<String> disagreements = new ArrayList<>();
        for (String input : INPUTS) {
            for (Map<String, JsonNode> variables : List.of(Map.<String, JsonNode>of(),
                    Map.of("order", json("{\"id\":\"v-1\",\"n\":2}"), "count", json("5")))) {
                var scope = scope(json(input), variables);
                for (String text : EXPRESSIONS) {
                    var expression = JsonataExpression.parse("{% " + text + " %}", "Output");
                    var states = JsonataExpression.states(scope);
                    JsonNode shortcut = expression.evaluateWithShortcut(scope, states);
                    if (shortcut == null) {
                        continue;
                    }
                    answered++;
                    String library;
                    try {
                        library = describe(expression.evaluateWithLibrary(scope, JsonataExpression.states(scope)));
                    } catch (StateFailure e) {
                        library = "failure " + e.cause();
                    }
                    if (!describe(shortcut).equals(library)) {
                        disagreements.add(text + " on " + input + " " + variables + ": shortcut " + describe(shortcut)
                                + ", library " + library);
                    }
                }
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(answered).as("pairs the shortcut answered").isGreaterThan(300);
    }

    @Test
    void theWorkflowShapes_areAnsweredWithoutTheLibrary() {
        var scope = scope(json("{\"id\":\"abc\",\"n\":3,\"branches\":[{\"side\":\"left\"}]}"), Map.of());
        for (String text : List.of("$states.input.id", "{'id': $states.input.id, 'n': $states.input.n}",
                "$merge([$states.input, {'status': 'done'}])", "$states.input.n * 2 + 1 > 6 and $states.input.id = 'abc'",
                "$states.input.branches", "$states.input.branches[0].side", "$states.input.id & '!'")) {
            var expression = JsonataExpression.parse("{% " + text + " %}", "Output");
            assertThat(expression.evaluateWithShortcut(scope, JsonataExpression.states(scope))).as(text).isNotNull();
        }
    }

    @Test
    void shapesOutsideTheShortcut_areLeftToTheLibrary() {
        var scope = scope(json("{\"items\":[1,2,3],\"id\":\"abc\"}"), Map.of());
        for (String text : List.of("$states.input.items[-1]", "$states.input.items[0.5]", "$states.input.items[]", "$sum($states.input.items)", "$states.input.items.$string()",
                "-1", "$states.input.id ? 1 : 2", "/* c */ 1", "$states.input.items ~> $count()", "[1..3]",
                "{$states.input.id: 1}", "{'a': 1, 'a': 2}", "'tab\\there'", "$states.input.`id`", "$states.input.and",
                "$states.input{'x': 1}", "$x := 1", "$states.input.idé")) {
            var expression = JsonataExpression.parse("{% " + text + " %}", "Output");
            assertThat(expression.evaluateWithShortcut(scope, JsonataExpression.states(scope))).as(text).isNull();
        }
    }

    private static String describe(JsonNode node) {
        StringBuilder out = new StringBuilder();
        describe(node, out);
        return out.toString();
    }

    /** The JSON text with each number's node type, so that 3 and 3.0 and a long and a BigInteger differ. */
    private static void describe(JsonNode node, StringBuilder out) {
        if (node.isNumber()) {
            out.append(node.numberType()).append(':').append(node.asText());
        } else if (node.isObject()) {
            out.append('{');
            node.properties().forEach(e -> {
                out.append(e.getKey()).append('=');
                describe(e.getValue(), out);
                out.append(',');
            });
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            node.forEach(item -> {
                describe(item, out);
                out.append(',');
            });
            out.append(']');
        } else {
            out.append(node.getNodeType()).append(':').append(JsonText.write(node));
        }
    }

    private static EvaluationScope scope(JsonNode input, Map<String, JsonNode> variables) {
        ObjectNode context = (ObjectNode) json("{\"Execution\":{\"Name\":\"e-1\"},\"State\":{\"Name\":\"S\"}}");
        return new EvaluationScope() {
            public JsonNode input() {
                return input;
            }

            public JsonNode context() {
                return context;
            }

            public EvaluationScope on(JsonNode data) {
                return this;
            }

            public JsonNode variable(String name) {
                return variables.get(name);
            }

            public JsonNode result() {
                return json("[{\"side\":\"left\"},{\"side\":\"right\"}]");
            }

            public JsonNode errorOutput() {
                return json("{\"Error\":\"E\",\"Cause\":\"c\"}");
            }
        };
    }

    private static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
