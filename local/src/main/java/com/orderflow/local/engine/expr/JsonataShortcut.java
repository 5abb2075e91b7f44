package com.orderflow.local.engine.expr;

import com.dashjoin.jsonata.Functions;
import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Utils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The expression shapes workflows use most — a path from {@code $states} or a variable through object fields,
 * literals, object constructors, {@code $merge} of an array of objects, arithmetic, comparisons, {@code &},
 * {@code and} and {@code or} — evaluated without the library's frames and per-thread evaluator (which the library
 * builds, with a parser, once for every virtual thread an execution runs on). Values are the library's own
 * (the views of {@link JsonataValues}), and each operator takes the same steps as the library's evaluator, calling
 * its public functions where it has them ({@code Functions.lookup}, {@code merge}, {@code string},
 * {@code Jsonata.boolize}, {@code Utils.convertNumber}); wherever the library would do more than that — map over
 * an array, raise an error, meet a rebound function name — the shortcut declines and the library evaluates the
 * expression itself, so the answer is the library's either way.
 */
final class JsonataShortcut {

    /** Thrown, without a stack trace, when the shortcut leaves the values it handles. */
    static final class Declined extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private Declined() {
            super(null, null, false, false);
        }
    }

    private static final Declined DECLINED = new Declined();

    /** What a term reads while it is evaluated: {@code $states} and the workflow variables. */
    record Bindings(EvaluationScope scope, Map<String, Object> states) {
        Object variable(String name) {
            if (name.equals("states")) {
                return states;
            }
            Object value = JsonataValues.toJsonata(scope.variable(name));
            // an unbound name may be one of the library's functions: the library knows what that means
            if (value == null) {
                throw DECLINED;
            }
            return value;
        }
    }

    /** A parsed expression; {@link #value} is the library value, null for undefined. */
    sealed interface Term permits Literal, Path, ObjectConstructor, Merge, Binary {
        Object value(Bindings bindings);
    }

    record Literal(Object value) implements Term {
        @Override
        public Object value(Bindings bindings) {
            return value;
        }
    }

    /**
     * {@code $name.field.field}: each step one object's field, as the library steps a single value; a step's index
     * ({@code items[0]}, {@link #NO_INDEX} when it has none) picks from the array the field holds.
     */
    record Path(String variable, List<String> fields, List<Integer> indexes) implements Term {
        static final int NO_INDEX = -1;

        @Override
        public Object value(Bindings bindings) {
            Object value = bindings.variable(variable);
            for (int i = 0; i < fields.size(); i++) {
                // a step over an array maps and flattens: the library's part
                if (value instanceof List<?>) {
                    throw DECLINED;
                }
                if (!(value instanceof Map<?, ?>)) {
                    return null;
                }
                value = Functions.lookup(value, fields.get(i));
                if (value == null) {
                    return null;
                }
                int index = indexes.get(i);
                if (index != NO_INDEX) {
                    value = item(value, index);
                    if (value == null) {
                        return null;
                    }
                }
            }
            if (Utils.isSequence(value)) {
                throw DECLINED;
            }
            return value;
        }

        /** The library's filter by a number: a value that is not an array is an array of itself. */
        private static Object item(Object value, int index) {
            if (Utils.isSequence(value)) {
                throw DECLINED;
            }
            Object item = value instanceof List<?> list ? (index < list.size() ? list.get(index) : null)
                    : (index == 0 ? value : null);
            // an array inside the array becomes the step's sequence: the library's part
            if (item instanceof List<?>) {
                throw DECLINED;
            }
            return item;
        }
    }

    /** {@code {'key': value, ...}}: a key whose value is undefined is left out. */
    record ObjectConstructor(List<String> keys, List<Term> values) implements Term {
        @Override
        public Object value(Bindings bindings) {
            Map<Object, Object> object = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                Object value = values.get(i).value(bindings);
                if (value != null) {
                    object.put(keys.get(i), value);
                }
            }
            return object;
        }
    }

    /** {@code $merge([a, b, ...])} where every item is an object. */
    record Merge(List<Term> items) implements Term {
        @Override
        public Object value(Bindings bindings) {
            // a workflow variable named merge hides the function; an empty array is left to the library too
            if (items.isEmpty() || bindings.scope().variable("merge") != null) {
                throw DECLINED;
            }
            List<Object> objects = new ArrayList<>(items.size());
            for (Term item : items) {
                Object value = item.value(bindings);
                if (!(value instanceof Map<?, ?>)) {
                    throw DECLINED;
                }
                objects.add(value);
            }
            return Functions.merge(objects);
        }
    }

    record Binary(String operator, Term left, Term right) implements Term {
        @Override
        public Object value(Bindings bindings) {
            Object lhs = left.value(bindings);
            return switch (operator) {
                case "and" -> Jsonata.boolize(lhs) && Jsonata.boolize(right.value(bindings));
                case "or" -> Jsonata.boolize(lhs) || Jsonata.boolize(right.value(bindings));
                case "+", "-", "*", "/", "%" -> arithmetic(lhs, right.value(bindings));
                case "=" -> equal(lhs, right.value(bindings));
                case "!=" -> notEqual(lhs, right.value(bindings));
                case "&" -> concatenation(lhs, right.value(bindings));
                default -> comparison(lhs, right.value(bindings));
            };
        }

        private Object arithmetic(Object lhs, Object rhs) {
            // a non-number operand is an error the library words
            if ((lhs != null && !Utils.isNumeric(lhs)) || (rhs != null && !Utils.isNumeric(rhs))) {
                throw DECLINED;
            }
            if (lhs == null || rhs == null) {
                return null;
            }
            double a = ((Number) lhs).doubleValue();
            double b = ((Number) rhs).doubleValue();
            double result = switch (operator) {
                case "+" -> a + b;
                case "-" -> a - b;
                case "*" -> a * b;
                case "/" -> a / b;
                default -> a % b;
            };
            if (!Double.isFinite(result)) {
                throw DECLINED;
            }
            return Utils.convertNumber(result);
        }

        private static Object equal(Object lhs, Object rhs) {
            if (lhs == null || rhs == null) {
                return false;
            }
            return comparable(lhs).equals(comparable(rhs));
        }

        private static Object notEqual(Object lhs, Object rhs) {
            if (lhs == null || rhs == null) {
                return false;
            }
            return !comparable(lhs).equals(comparable(rhs));
        }

        /** Numbers compare as doubles, as the library compares them. */
        private static Object comparable(Object value) {
            return value instanceof Number n ? (Object) n.doubleValue() : value;
        }

        private static Object concatenation(Object lhs, Object rhs) {
            return (lhs == null ? "" : Functions.string(lhs, null)) + (rhs == null ? "" : Functions.string(rhs, null));
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private Object comparison(Object lhs, Object rhs) {
            if (!isComparable(lhs) || !isComparable(rhs)) {
                throw DECLINED;
            }
            if (lhs == null || rhs == null) {
                return null;
            }
            if (!lhs.getClass().equals(rhs.getClass())) {
                if (!(lhs instanceof Number l) || !(rhs instanceof Number r)) {
                    throw DECLINED;
                }
                lhs = l.doubleValue();
                rhs = r.doubleValue();
            }
            int order = ((Comparable) lhs).compareTo(rhs);
            return switch (operator) {
                case "<" -> order < 0;
                case "<=" -> order <= 0;
                case ">" -> order > 0;
                default -> order >= 0;
            };
        }

        private static boolean isComparable(Object value) {
            return value == null || value instanceof String || value instanceof Number;
        }
    }

    private JsonataShortcut() {
    }
}
