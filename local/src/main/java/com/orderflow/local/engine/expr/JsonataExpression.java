package com.orderflow.local.engine.expr;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code {% ... %}} expression, parsed once when the definition is compiled and evaluated any number of times,
 * from any thread, with {@code $states} and the workflow variables it names bound. Whatever goes wrong while it is
 * evaluated is {@code States.QueryEvaluationError} with AWS's cause, naming the expression and the field.
 */
final class JsonataExpression {

    private static final Pattern VARIABLE = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");
    private static final String ENTRY_HOOK = "__evaluate_entry";
    private static final String EXIT_HOOK = "__evaluate_exit";

    private final String text;
    private final String field;
    private final Jsonata compiled;
    /** The {@code $name}s the expression mentions: only those are looked up among the workflow variables. */
    private final List<String> variableNames;
    /** The expression as {@link JsonataShortcut} evaluates it, null when it is not one of the shapes it reads. */
    private final JsonataShortcut.Term shortcut;

    private JsonataExpression(String text, String field, Jsonata compiled, List<String> variableNames,
                              JsonataShortcut.Term shortcut) {
        this.text = text;
        this.field = field;
        this.compiled = compiled;
        this.variableNames = variableNames;
        this.shortcut = shortcut;
    }

    /** Whether a string value of a JSONata field is an expression: {@code {%} first and {@code %}} last, nothing around them. */
    static boolean isExpression(String value) {
        return value.length() >= 4 && value.startsWith("{%") && value.endsWith("%}");
    }

    /** Parses the expression in {@code value}; IllegalArgumentException with the parser's message when it does not parse. */
    static JsonataExpression parse(String value, String field) {
        String text = value.substring(2, value.length() - 2).strip();
        Jsonata compiled;
        try {
            compiled = Jsonata.jsonata(text);
        } catch (JException e) {
            throw new IllegalArgumentException(withoutCode(e));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(String.valueOf(e.getMessage()));
        }
        compiled.setOutputConvertNulls(false);
        AwsJsonataFunctions.register(compiled);
        Set<String> names = new LinkedHashSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            if (!m.group(1).equals("states")) {
                names.add(m.group(1));
            }
        }
        return new JsonataExpression(text, field, compiled, List.copyOf(names), JsonataShortcutParser.parse(text));
    }

    /** The value, never undefined: an expression that yields nothing fails the state. */
    JsonNode evaluate(EvaluationScope scope, Map<String, Object> states) {
        JsonNode value = evaluateWithShortcut(scope, states);
        return value != null ? value : evaluateWithLibrary(scope, states);
    }

    /**
     * The value as {@link JsonataShortcut} evaluates it; null when the expression is not one of its shapes, when it
     * declines the values, and when the value is undefined (a failure the library's route words).
     */
    JsonNode evaluateWithShortcut(EvaluationScope scope, Map<String, Object> states) {
        if (shortcut == null) {
            return null;
        }
        try {
            Object value = shortcut.value(new JsonataShortcut.Bindings(scope, states));
            return value == null ? null : JsonataValues.toNode(value);
        } catch (JsonataShortcut.Declined e) {
            return null;
        }
    }

    /** The value as the library alone evaluates it (what the shortcut must always agree with). */
    JsonNode evaluateWithLibrary(EvaluationScope scope, Map<String, Object> states) {
        Jsonata.Frame frame = compiled.createFrame();
        // the library looks its evaluation hooks up at every step, through every enclosing frame: bound here to
        // nothing, the look-up ends in the first frame
        frame.bind(ENTRY_HOOK, (Object) null);
        frame.bind(EXIT_HOOK, (Object) null);
        frame.bind("states", states);
        for (String name : variableNames) {
            JsonNode value = scope.variable(name);
            if (value != null) {
                frame.bind(name, JsonataValues.toJsonata(value));
            }
        }
        Object result;
        try {
            result = compiled.evaluate(null, frame);
        } catch (JException e) {
            throw failure("threw an error during evaluation. " + e.getError() + ": " + withoutCode(e));
        } catch (RuntimeException e) {
            throw failure("threw an error during evaluation. " + e.getMessage());
        } catch (StackOverflowError e) {
            throw failure("threw an error during evaluation. The expression recursed too deeply");
        }
        if (result == null) {
            throw failure("returned nothing (undefined).");
        }
        try {
            return JsonataValues.toNode(result);
        } catch (IllegalArgumentException e) {
            throw failure("returned an unsupported result type.");
        }
    }

    /** An expression that yields a value of the wrong kind for its field, e.g. Items that is not an array. */
    StateFailure unexpectedType(String expected, JsonNode value) {
        return failure("returned an unexpected result type. Expected '" + expected + "', but was '"
                + kind(value) + "' for value: " + JsonText.write(value));
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT -> "object";
            case ARRAY -> "array";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            default -> "string";
        };
    }

    private StateFailure failure(String what) {
        return StateFailure.evaluation("The JSONata expression '" + text + "' specified for the field '" + field + "' "
                + what, field);
    }

    /** The library's message without the code it may start with, as AWS prints it. */
    private static String withoutCode(JException e) {
        String message = String.valueOf(e.getMessage());
        String code = e.getError();
        if (code != null && message.startsWith(code)) {
            message = message.substring(code.length()).replaceFirst("^[:\\s]+", "");
        }
        return message;
    }

    /**
     * {@code $states} for one evaluation of a field: input, context and, where the field has them, result and
     * errorOutput, each converted only when an expression reads it.
     */
    static Map<String, Object> states(EvaluationScope scope) {
        return new StatesObject(scope);
    }

    private static final class StatesObject extends AbstractMap<String, Object> {
        private final EvaluationScope scope;
        private Object context;

        StatesObject(EvaluationScope scope) {
            this.scope = scope;
        }

        @Override
        public Object get(Object key) {
            if (!(key instanceof String name)) {
                return null;
            }
            return switch (name) {
                case "input" -> JsonataValues.toJsonata(scope.stateInput());
                case "result" -> JsonataValues.toJsonata(scope.result());
                case "errorOutput" -> JsonataValues.toJsonata(scope.errorOutput());
                case "context" -> {
                    if (context == null) {
                        context = JsonataValues.toJsonata(scope.context());
                    }
                    yield context;
                }
                default -> null;
            };
        }

        @Override
        public boolean containsKey(Object key) {
            return get(key) != null;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Set<Entry<String, Object>> entries = new LinkedHashSet<>();
            for (String name : List.of("input", "result", "errorOutput", "context")) {
                Object value = get(name);
                if (value != null) {
                    entries.add(new SimpleImmutableEntry<>(name, value));
                }
            }
            return entries;
        }
    }
}
