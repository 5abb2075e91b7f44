package com.orderflow.local.engine.expr;

import com.dashjoin.jsonata.Utils;
import com.orderflow.local.engine.expr.JsonataShortcut.Term;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the expression shapes {@link JsonataShortcut} evaluates, with JSONata's tokens and binding powers
 * ({@code * / %} 60, {@code + - &} 50, comparisons 40, {@code and} 30, {@code or} 25, all left-associative).
 * Anything else — a comment, an escape, a filter, a function other than {@code $merge}, a name JSONata reads
 * as a keyword — is not read: {@link #parse} answers null and the library evaluates the expression alone.
 */
final class JsonataShortcutParser {

    private static final Set<String> KEYWORDS = Set.of("and", "or", "in", "true", "false", "null");
    private static final List<List<String>> LEVELS = List.of(List.of("or"), List.of("and"),
            List.of("=", "!=", "<", "<=", ">", ">="), List.of("+", "-", "&"), List.of("*", "/", "%"));

    private enum Kind { VARIABLE, NAME, STRING, NUMBER, SYMBOL, END }

    private record Token(Kind kind, String text, Object value) {
    }

    /** Thrown inside the parser when the text leaves the shapes it reads. */
    private static final class NotShortcut extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotShortcut() {
            super(null, null, false, false);
        }
    }

    private final List<Token> tokens;
    private int next;

    private JsonataShortcutParser(List<Token> tokens) {
        this.tokens = tokens;
    }

    /** The expression's term, or null when it is not one of the shapes the shortcut evaluates. */
    static Term parse(String text) {
        try {
            var parser = new JsonataShortcutParser(tokens(text));
            Term term = parser.expression(0);
            return parser.peek().kind() == Kind.END ? term : null;
        } catch (NotShortcut e) {
            return null;
        }
    }

    private Term expression(int level) {
        if (level == LEVELS.size()) {
            return primary();
        }
        Term left = expression(level + 1);
        while (peek().kind() == Kind.SYMBOL && LEVELS.get(level).contains(peek().text())) {
            String operator = take().text();
            left = new JsonataShortcut.Binary(operator, left, expression(level + 1));
        }
        return left;
    }

    private Term primary() {
        Token token = take();
        return switch (token.kind()) {
            case STRING, NUMBER -> new JsonataShortcut.Literal(token.value());
            case NAME -> switch (token.text()) {
                case "true" -> new JsonataShortcut.Literal(Boolean.TRUE);
                case "false" -> new JsonataShortcut.Literal(Boolean.FALSE);
                case "null" -> new JsonataShortcut.Literal(com.dashjoin.jsonata.Jsonata.NULL_VALUE);
                default -> throw new NotShortcut();
            };
            case VARIABLE -> token.text().equals("merge") && isSymbol("(") ? merge() : path(token.text());
            case SYMBOL -> switch (token.text()) {
                case "(" -> {
                    Term inner = expression(0);
                    expect(")");
                    yield inner;
                }
                case "{" -> object();
                default -> throw new NotShortcut();
            };
            default -> throw new NotShortcut();
        };
    }

    /** {@code $name.field.field}, where a field may take one index that is a whole number literal: {@code items[0]}. */
    private Term path(String variable) {
        List<String> fields = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        while (isSymbol(".")) {
            take();
            Token name = take();
            if (name.kind() != Kind.NAME || KEYWORDS.contains(name.text())) {
                throw new NotShortcut();
            }
            fields.add(name.text());
            indexes.add(isSymbol("[") ? index() : JsonataShortcut.Path.NO_INDEX);
        }
        if (isSymbol("(") || isSymbol("[")) {
            throw new NotShortcut();
        }
        return new JsonataShortcut.Path(variable, List.copyOf(fields), List.copyOf(indexes));
    }

    private int index() {
        expect("[");
        Token number = take();
        if (number.kind() != Kind.NUMBER || !number.text().chars().allMatch(c -> c >= '0' && c <= '9')
                || !(number.value() instanceof Integer index)) {
            throw new NotShortcut();
        }
        expect("]");
        return index;
    }

    /** {@code $merge([item, ...])}, the one function read here. */
    private Term merge() {
        expect("(");
        expect("[");
        List<Term> items = new ArrayList<>();
        if (!isSymbol("]")) {
            items.add(expression(0));
            while (isSymbol(",")) {
                take();
                items.add(expression(0));
            }
        }
        expect("]");
        expect(")");
        return new JsonataShortcut.Merge(List.copyOf(items));
    }

    /** An object constructor whose keys are distinct string literals. */
    private Term object() {
        List<String> keys = new ArrayList<>();
        List<Term> values = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        while (!isSymbol("}")) {
            if (!keys.isEmpty()) {
                expect(",");
            }
            Token key = take();
            if (key.kind() != Kind.STRING || !seen.add(key.text())) {
                throw new NotShortcut();
            }
            expect(":");
            keys.add(key.text());
            values.add(expression(0));
        }
        take();
        return new JsonataShortcut.ObjectConstructor(List.copyOf(keys), List.copyOf(values));
    }

    private Token peek() {
        return tokens.get(next);
    }

    private Token take() {
        Token token = tokens.get(next);
        if (token.kind() != Kind.END) {
            next++;
        }
        return token;
    }

    private boolean isSymbol(String symbol) {
        return peek().kind() == Kind.SYMBOL && peek().text().equals(symbol);
    }

    private void expect(String symbol) {
        if (!isSymbol(symbol)) {
            throw new NotShortcut();
        }
        take();
    }

    private static List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
            } else if (c == '$') {
                int end = identifierEnd(text, i + 1);
                if (end == i + 1) {
                    throw new NotShortcut();
                }
                tokens.add(new Token(Kind.VARIABLE, text.substring(i + 1, end), null));
                i = end;
            } else if (isIdentifierStart(c)) {
                int end = identifierEnd(text, i);
                tokens.add(new Token(Kind.NAME, text.substring(i, end), null));
                i = end;
            } else if (c == '\'' || c == '"') {
                int end = text.indexOf(c, i + 1);
                if (end < 0 || text.substring(i + 1, end).indexOf('\\') >= 0) {
                    throw new NotShortcut();
                }
                String value = text.substring(i + 1, end);
                tokens.add(new Token(Kind.STRING, value, value));
                i = end + 1;
            } else if (c >= '0' && c <= '9') {
                int end = numberEnd(text, i);
                double number = Double.parseDouble(text.substring(i, end));
                if (!Double.isFinite(number)) {
                    throw new NotShortcut();
                }
                tokens.add(new Token(Kind.NUMBER, text.substring(i, end), Utils.convertNumber(number)));
                i = end;
            } else {
                String symbol = symbol(text, i);
                tokens.add(new Token(Kind.SYMBOL, symbol, null));
                i += symbol.length();
            }
        }
        // "and" and "or" are names to the tokenizer and operators to the parser, as in JSONata
        List<Token> read = new ArrayList<>(tokens.size() + 1);
        for (Token t : tokens) {
            boolean operator = t.kind() == Kind.NAME && (t.text().equals("and") || t.text().equals("or"));
            read.add(operator ? new Token(Kind.SYMBOL, t.text(), null) : t);
        }
        read.add(new Token(Kind.END, "", null));
        return read;
    }

    private static String symbol(String text, int i) {
        char c = text.charAt(i);
        char after = i + 1 < text.length() ? text.charAt(i + 1) : 0;
        if ((c == '!' || c == '<' || c == '>') && after == '=') {
            return text.substring(i, i + 2);
        }
        // "/*" opens a comment, ".." is a range, ":=" a binding, "~>" a chain: none of them is read here
        if ((c == '/' && after == '*') || (c == '.' && after == '.') || (c == ':' && after == '=')) {
            throw new NotShortcut();
        }
        if ("<>=+-*/%&.,:()[]{}".indexOf(c) < 0) {
            throw new NotShortcut();
        }
        return String.valueOf(c);
    }

    /** JSONata's number literal without a sign: {@code 0|[1-9][0-9]*}, then an optional fraction and exponent. */
    private static int numberEnd(String text, int start) {
        int i = start;
        if (text.charAt(i) == '0') {
            i++;
        } else {
            i = digitsEnd(text, i);
        }
        if (i + 1 < text.length() && text.charAt(i) == '.' && isDigit(text.charAt(i + 1))) {
            i = digitsEnd(text, i + 1);
        }
        if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            int exponent = i + 1;
            if (exponent < text.length() && (text.charAt(exponent) == '+' || text.charAt(exponent) == '-')) {
                exponent++;
            }
            if (exponent < text.length() && isDigit(text.charAt(exponent))) {
                i = digitsEnd(text, exponent);
            }
        }
        // a number run straight into a name or another digit ("0x", "01") is left to the library
        if (i < text.length() && (isIdentifierStart(text.charAt(i)) || isDigit(text.charAt(i)))) {
            throw new NotShortcut();
        }
        return i;
    }

    private static int digitsEnd(String text, int i) {
        while (i < text.length() && isDigit(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int identifierEnd(String text, int i) {
        if (i >= text.length() || !isIdentifierStart(text.charAt(i))) {
            return i;
        }
        while (i < text.length() && (isIdentifierStart(text.charAt(i)) || isDigit(text.charAt(i)))) {
            i++;
        }
        // a name JSONata would read on (its names end only at an operator or a space) is left to the library
        if (i < text.length() && text.charAt(i) > 0x7F) {
            throw new NotShortcut();
        }
        return i;
    }

    private static boolean isIdentifierStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
