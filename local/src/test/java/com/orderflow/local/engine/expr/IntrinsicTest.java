package com.orderflow.local.engine.expr;

import static com.orderflow.local.engine.run.EngineFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class IntrinsicTest {

    private static final JsonNode INPUT = json("""
            {"name":"Ann","n":3,"list":[1,2,2,3],"obj":{"a":1},"other":{"b":2},"text":"a,b;c","s":"{\\"k\\":[1]}"}""");

    private static JsonNode eval(String expression) {
        return Intrinsic.parse(expression).evaluate(new EvaluationScope() {
            public JsonNode input() {
                return INPUT;
            }

            public JsonNode context() {
                return json("{\"State\":{\"Name\":\"S\"}}");
            }

            public EvaluationScope on(JsonNode data) {
                throw new UnsupportedOperationException("an intrinsic evaluates in the scope it is given");
            }
        });
    }

    @Test
    void format_substitutesArgumentsAndHonoursEscapes() {
        assertThat(eval("States.Format('Hi {}, n={} \\{literal\\} it\\'s', $.name, $.n)").asText())
                .isEqualTo("Hi Ann, n=3 {literal} it's");
        assertThat(eval("States.Format('{} in {}', $$.State.Name, $.name)").asText()).isEqualTo("S in Ann");
    }

    @Test
    void jsonConversions_roundTrip() {
        assertThat(eval("States.StringToJson($.s)")).isEqualTo(json("{\"k\":[1]}"));
        assertThat(eval("States.JsonToString($.obj)").asText()).isEqualTo("{\"a\":1}");
    }

    @Test
    void arrayFunctions_behaveAsDocumented() {
        assertThat(eval("States.Array($.name, 1, true, null)")).isEqualTo(json("[\"Ann\",1,true,null]"));
        assertThat(eval("States.ArrayPartition($.list, 3)")).isEqualTo(json("[[1,2,2],[3]]"));
        assertThat(eval("States.ArrayContains($.list, 3)").booleanValue()).isTrue();
        assertThat(eval("States.ArrayRange(1, 9, 2)")).isEqualTo(json("[1,3,5,7,9]"));
        assertThat(eval("States.ArrayGetItem($.list, 3)")).isEqualTo(json("3"));
        assertThat(eval("States.ArrayLength($.list)")).isEqualTo(json("4"));
        assertThat(eval("States.ArrayUnique($.list)")).isEqualTo(json("[1,2,3]"));
    }

    @Test
    void encodingAndHashing_matchKnownValues() {
        assertThat(eval("States.Base64Encode('Data to encode')").asText()).isEqualTo("RGF0YSB0byBlbmNvZGU=");
        assertThat(eval("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')").asText()).isEqualTo("Data to encode");
        assertThat(eval("States.Hash('input data', 'SHA-1')").asText())
                .isEqualTo("aaff4a450a104cd177d28d18d74485e8cae074b7");
        assertThat(eval("States.Hash('abc', 'MD5')").asText()).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    }

    @Test
    void mathStringAndMerge_functions() {
        assertThat(eval("States.MathAdd($.n, -5)")).isEqualTo(json("-2"));
        // AWS rounds a non-integer argument off to the nearest integer
        assertThat(eval("States.MathAdd(4.3, 1)")).isEqualTo(json("5"));
        assertThat(eval("States.MathAdd(1.5, 0.6)")).isEqualTo(json("3"));
        int r = eval("States.MathRandom(1, 5)").intValue();
        assertThat(r).isBetween(1, 4);
        assertThat(eval("States.MathRandom(1, 1000, 7)")).isEqualTo(eval("States.MathRandom(1, 1000, 7)"));
        assertThat(eval("States.StringSplit($.text, ',;')")).isEqualTo(json("[\"a\",\"b\",\"c\"]"));
        assertThat(eval("States.JsonMerge($.obj, $.other, false)")).isEqualTo(json("{\"a\":1,\"b\":2}"));
        assertThat(eval("States.UUID()").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
    }

    @Test
    void nestedCalls_evaluateInsideOut() {
        assertThat(eval("States.ArrayLength(States.ArrayUnique(States.Array(1, 1, 2)))")).isEqualTo(json("2"));
        assertThat(eval("States.Format('{}', States.MathAdd(1, 2))").asText()).isEqualTo("3");
    }

    @Test
    void badArguments_failWithIntrinsicFailure() {
        assertThatThrownBy(() -> eval("States.ArrayGetItem($.list, 10)"))
                .isInstanceOfSatisfying(StateFailure.class, f -> assertThat(f.error()).isEqualTo("States.IntrinsicFailure"));
        assertThatThrownBy(() -> eval("States.MathAdd($.name, 1)"))
                .isInstanceOfSatisfying(StateFailure.class, f -> assertThat(f.error()).isEqualTo("States.IntrinsicFailure"));
        assertThatThrownBy(() -> eval("States.JsonMerge($.obj, $.other, true)"))
                .isInstanceOfSatisfying(StateFailure.class, f -> assertThat(f.error()).isEqualTo("States.IntrinsicFailure"));
        assertThatThrownBy(() -> eval("States.Format('{} {}', 1)"))
                .isInstanceOfSatisfying(StateFailure.class, f -> assertThat(f.error()).isEqualTo("States.IntrinsicFailure"));
    }

    @Test
    void missingPathArgument_failsWithStatesRuntimeNamingTheWholeExpression() {
        assertThatThrownBy(() -> eval("States.Format('{}', $.nope)"))
                .isInstanceOfSatisfying(StateFailure.class, f -> {
                    assertThat(f.error()).isEqualTo("States.Runtime");
                    assertThat(f.cause()).startsWith("The function 'States.Format('{}', $.nope)' had the following "
                            + "error: The JsonPath argument for the field '$.nope' could not be found in the input");
                });
    }

    @Test
    void malformedExpressions_areRejectedAtParseTime() {
        assertThatThrownBy(() -> Intrinsic.parse("States.Nope(1)")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Intrinsic.parse("States.Format('x'")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Intrinsic.parse("States.Format('x') trailing"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
