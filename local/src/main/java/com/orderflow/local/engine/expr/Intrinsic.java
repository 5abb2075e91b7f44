package com.orderflow.local.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A compiled intrinsic function call such as {@code States.Format('Hi {}', $.name)}, nesting allowed. */
public final class Intrinsic {

    /** One argument of a call. */
    sealed interface Arg permits Literal, Text, PathArg, Call {
    }

    /** A number, boolean or null literal. */
    record Literal(JsonNode value) implements Arg {
    }

    /** A quoted string; {@code raw} keeps escapes so States.Format can tell {@code \{} from {@code {}}. */
    record Text(String value, String raw) implements Arg {
    }

    record PathArg(AslPath path) implements Arg {
    }

    record Call(String name, List<Arg> args) implements Arg {
    }

    private final String expression;
    private final Call call;

    private Intrinsic(String expression, Call call) {
        this.expression = expression;
        this.call = call;
    }

    public static boolean looksLikeCall(String text) {
        return text.startsWith("States.");
    }

    /** Compiles an expression; throws IllegalArgumentException naming what is wrong. */
    static Intrinsic parse(String expression) {
        var parser = new IntrinsicParser(expression);
        Call call = parser.call();
        parser.skipSpaces();
        if (!parser.atEnd()) {
            throw new IllegalArgumentException("unexpected text after the function call at " + parser.pos);
        }
        return new Intrinsic(expression, call);
    }

    String expression() {
        return expression;
    }

    JsonNode evaluate(EvaluationScope scope) {
        return evaluate(call, scope);
    }

    private JsonNode evaluate(Call c, EvaluationScope scope) {
        List<JsonNode> values = new ArrayList<>(c.args().size());
        for (Arg arg : c.args()) {
            values.add(switch (arg) {
                case Literal l -> l.value();
                case Text t -> JsonText.NODES.textNode(t.value());
                case Call nested -> evaluate(nested, scope);
                case PathArg p -> {
                    JsonNode root = p.path().rootIn(scope);
                    JsonNode v = root == null ? null : p.path().read(root);
                    if (v == null) {
                        throw StateFailure.engine(StateFailure.RUNTIME, "The function '" + expression
                                + "' had the following error: The JsonPath argument for the field '"
                                + p.path().text() + "' could not be found in the input '" + JsonText.write(scope.input()) + "'");
                    }
                    yield v;
                }
            });
        }
        try {
            return IntrinsicFunctions.apply(c, values);
        } catch (IllegalArgumentException e) {
            throw StateFailure.engine(StateFailure.INTRINSIC_FAILURE,
                    "The function '" + expression + "' had the following error: " + e.getMessage());
        }
    }
}
