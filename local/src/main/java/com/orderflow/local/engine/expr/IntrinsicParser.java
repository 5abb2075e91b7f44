package com.orderflow.local.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Recursive-descent parser of the intrinsic call grammar. */
final class IntrinsicParser {
    private final String s;
    int pos;

    IntrinsicParser(String s) {
        this.s = s;
    }

    boolean atEnd() {
        return pos >= s.length();
    }

    void skipSpaces() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }

    Intrinsic.Call call() {
        skipSpaces();
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
            pos++;
        }
        String name = s.substring(start, pos);
        if (!IntrinsicFunctions.NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown intrinsic function '" + name + "'");
        }
        skipSpaces();
        expect('(');
        List<Intrinsic.Arg> args = new ArrayList<>();
        skipSpaces();
        if (peek() == ')') {
            pos++;
            return new Intrinsic.Call(name, List.copyOf(args));
        }
        while (true) {
            args.add(arg());
            skipSpaces();
            char ch = peek();
            pos++;
            if (ch == ')') {
                return new Intrinsic.Call(name, List.copyOf(args));
            }
            if (ch != ',') {
                throw new IllegalArgumentException("expected ',' or ')' at " + (pos - 1));
            }
        }
    }

    private Intrinsic.Arg arg() {
        skipSpaces();
        char ch = peek();
        if (ch == '\'') {
            return text();
        }
        if (ch == '$') {
            return path();
        }
        if (s.startsWith("States.", pos)) {
            return call();
        }
        int start = pos;
        while (pos < s.length() && s.charAt(pos) != ',' && s.charAt(pos) != ')') {
            pos++;
        }
        String token = s.substring(start, pos).strip();
        return switch (token) {
            case "true" -> new Intrinsic.Literal(JsonText.NODES.booleanNode(true));
            case "false" -> new Intrinsic.Literal(JsonText.NODES.booleanNode(false));
            case "null" -> new Intrinsic.Literal(JsonText.NODES.nullNode());
            default -> {
                try {
                    BigDecimal d = new BigDecimal(token);
                    JsonNode n;
                    try {
                        n = JsonText.NODES.numberNode(d.intValueExact());
                    } catch (ArithmeticException e) {
                        n = JsonText.NODES.numberNode(d);
                    }
                    yield new Intrinsic.Literal(n);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid argument '" + token + "'");
                }
            }
        };
    }

    private Intrinsic.Text text() {
        pos++;
        var value = new StringBuilder();
        int start = pos;
        while (pos < s.length()) {
            char ch = s.charAt(pos);
            if (ch == '\\' && pos + 1 < s.length()) {
                value.append(s.charAt(pos + 1));
                pos += 2;
            } else if (ch == '\'') {
                String raw = s.substring(start, pos);
                pos++;
                return new Intrinsic.Text(value.toString(), raw);
            } else {
                value.append(ch);
                pos++;
            }
        }
        throw new IllegalArgumentException("unterminated string literal");
    }

    private Intrinsic.PathArg path() {
        int start = pos;
        int depth = 0;
        char quote = 0;
        while (pos < s.length()) {
            char ch = s.charAt(pos);
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"') {
                quote = ch;
            } else if (ch == '[' || ch == '(') {
                depth++;
            } else if (ch == ']' || (ch == ')' && depth > 0)) {
                depth--;
            } else if (depth == 0 && (ch == ',' || ch == ')')) {
                break;
            }
            pos++;
        }
        String text = s.substring(start, pos).strip();
        return new Intrinsic.PathArg(AslPath.parse(text));
    }

    private char peek() {
        if (pos >= s.length()) {
            throw new IllegalArgumentException("unexpected end of the expression");
        }
        return s.charAt(pos);
    }

    private void expect(char ch) {
        if (peek() != ch) {
            throw new IllegalArgumentException("expected '" + ch + "' at " + pos);
        }
        pos++;
    }
}
