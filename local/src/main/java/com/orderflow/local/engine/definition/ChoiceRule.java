package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.expr.AslPath;
import com.orderflow.local.engine.expr.EvaluationScope;
import com.orderflow.local.engine.expr.JsonataTemplate;
import com.orderflow.local.engine.expr.PayloadTemplate;
import com.orderflow.local.engine.expr.StateFailure;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/** A compiled Choice rule: a boolean expression over the state input, or And/Or/Not of others. */
public sealed interface ChoiceRule {

    /** A top-level rule with its transition, and what it assigns and (JSONata) outputs when it matches. */
    record Branch(ChoiceRule rule, String next, PayloadTemplate assign, PayloadTemplate output) {
    }

    /** A JSONata rule: its {@code Condition} expression, which must yield a boolean. */
    record Condition(JsonataTemplate condition) implements ChoiceRule {
        public boolean test(EvaluationScope scope) {
            JsonNode value = condition.evaluate(scope);
            if (!value.isBoolean()) {
                throw condition.unexpectedType("Condition", "boolean", value);
            }
            return value.booleanValue();
        }
    }

    boolean test(EvaluationScope scope);

    /** The comparison operators of the JSONPath Choice state, with the kind of value each takes. */
    enum Operator {
        StringEquals(Kind.STRING), StringLessThan(Kind.STRING), StringGreaterThan(Kind.STRING),
        StringLessThanEquals(Kind.STRING), StringGreaterThanEquals(Kind.STRING), StringMatches(Kind.STRING),
        NumericEquals(Kind.NUMBER), NumericLessThan(Kind.NUMBER), NumericGreaterThan(Kind.NUMBER),
        NumericLessThanEquals(Kind.NUMBER), NumericGreaterThanEquals(Kind.NUMBER),
        BooleanEquals(Kind.BOOLEAN),
        TimestampEquals(Kind.TIMESTAMP), TimestampLessThan(Kind.TIMESTAMP), TimestampGreaterThan(Kind.TIMESTAMP),
        TimestampLessThanEquals(Kind.TIMESTAMP), TimestampGreaterThanEquals(Kind.TIMESTAMP),
        IsNull(Kind.TYPE_TEST), IsPresent(Kind.TYPE_TEST), IsNumeric(Kind.TYPE_TEST), IsString(Kind.TYPE_TEST),
        IsBoolean(Kind.TYPE_TEST), IsTimestamp(Kind.TYPE_TEST);

        enum Kind { STRING, NUMBER, BOOLEAN, TIMESTAMP, TYPE_TEST }

        final Kind kind;

        Operator(Kind kind) {
            this.kind = kind;
        }

        /** Whether {@code <name>Path} (comparing against another path) exists for this operator. */
        boolean hasPathVariant() {
            return kind != Kind.TYPE_TEST && this != StringMatches;
        }

        static final Set<String> NAMES;

        static {
            var names = new java.util.HashSet<String>();
            for (Operator op : values()) {
                names.add(op.name());
                if (op.hasPathVariant()) {
                    names.add(op.name() + "Path");
                }
            }
            NAMES = Set.copyOf(names);
        }
    }

    record And(List<ChoiceRule> rules) implements ChoiceRule {
        public boolean test(EvaluationScope scope) {
            for (ChoiceRule r : rules) {
                if (!r.test(scope)) {
                    return false;
                }
            }
            return true;
        }
    }

    record Or(List<ChoiceRule> rules) implements ChoiceRule {
        public boolean test(EvaluationScope scope) {
            for (ChoiceRule r : rules) {
                if (r.test(scope)) {
                    return true;
                }
            }
            return false;
        }
    }

    record Not(ChoiceRule rule) implements ChoiceRule {
        public boolean test(EvaluationScope scope) {
            return !rule.test(scope);
        }
    }

    /**
     * {@code Variable <op> value} where value is a literal or, for {@code ...Path} operators, another path.
     */
    record Comparison(AslPath variable, Operator op, JsonNode literal, AslPath otherPath) implements ChoiceRule {

        public boolean test(EvaluationScope scope) {
            JsonNode value = read(variable, scope);
            if (value == null) {
                if (op == Operator.IsPresent) {
                    return !literal.booleanValue();
                }
                throw invalidPath(variable);
            }
            if (op.kind == Operator.Kind.TYPE_TEST) {
                boolean expected = literal.booleanValue();
                boolean actual = switch (op) {
                    case IsPresent -> true;
                    case IsNull -> value.isNull();
                    case IsNumeric -> value.isNumber();
                    case IsString -> value.isTextual();
                    case IsBoolean -> value.isBoolean();
                    case IsTimestamp -> value.isTextual() && timestamp(value.textValue()) != null;
                    default -> throw new IllegalStateException(op.name());
                };
                return actual == expected;
            }
            JsonNode other = literal;
            if (otherPath != null) {
                other = read(otherPath, scope);
                if (other == null) {
                    throw invalidPath(otherPath);
                }
            }
            return switch (op.kind) {
                case STRING -> {
                    if (!value.isTextual() || !other.isTextual()) {
                        yield false;
                    }
                    if (op == Operator.StringMatches) {
                        yield matches(value.textValue(), other.textValue());
                    }
                    yield ordered(value.textValue().compareTo(other.textValue()));
                }
                case NUMBER -> value.isNumber() && other.isNumber()
                        && ordered(value.decimalValue().compareTo(other.decimalValue()));
                case BOOLEAN -> value.isBoolean() && other.isBoolean() && value.booleanValue() == other.booleanValue();
                case TIMESTAMP -> {
                    Instant a = value.isTextual() ? timestamp(value.textValue()) : null;
                    Instant b = other.isTextual() ? timestamp(other.textValue()) : null;
                    yield a != null && b != null && ordered(a.compareTo(b));
                }
                case TYPE_TEST -> throw new IllegalStateException();
            };
        }

        private boolean ordered(int cmp) {
            String n = op.name();
            if (n.endsWith("LessThanEquals")) {
                return cmp <= 0;
            }
            if (n.endsWith("GreaterThanEquals")) {
                return cmp >= 0;
            }
            if (n.endsWith("LessThan")) {
                return cmp < 0;
            }
            if (n.endsWith("GreaterThan")) {
                return cmp > 0;
            }
            return cmp == 0;
        }

        private static JsonNode read(AslPath path, EvaluationScope scope) {
            return path.readIn(scope);
        }

        private static StateFailure invalidPath(AslPath path) {
            return StateFailure.engine(StateFailure.RUNTIME, "Invalid path '" + path.text()
                    + "': The choice state's condition path references an invalid value.");
        }
    }

    /** An RFC 3339 timestamp as Step Functions accepts it, or null. */
    static Instant timestamp(String text) {
        // AWS wants an uppercase T separator and uppercase Z; java.time would accept either case.
        if (text.length() < 20 || text.charAt(10) != 'T' || text.indexOf('z') >= 0 || text.indexOf('t') >= 0) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * StringMatches: {@code *} matches any run of characters; {@code \*} and {@code \\} stand for a
     * literal star and backslash.
     */
    static boolean matches(String value, String pattern) {
        return matchFrom(value, 0, pattern, 0);
    }

    private static boolean matchFrom(String v, int vi, String p, int pi) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                while (pi < p.length() && p.charAt(pi) == '*') {
                    pi++;
                }
                if (pi == p.length()) {
                    return true;
                }
                for (int k = vi; k <= v.length(); k++) {
                    if (matchFrom(v, k, p, pi)) {
                        return true;
                    }
                }
                return false;
            }
            if (c == '\\' && pi + 1 < p.length()) {
                c = p.charAt(++pi);
            }
            if (vi >= v.length() || v.charAt(vi) != c) {
                return false;
            }
            vi++;
            pi++;
        }
        return vi == v.length();
    }
}
