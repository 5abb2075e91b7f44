package com.orderflow.local.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * HTTP header fields in the order they came, names compared without regard to case; immutable. A request
 * carries a handful of fields, so a flat array scanned in order beats any map here.
 */
public final class Headers {

    private static final Headers NONE = new Headers(new String[0], 0);

    /** name, value, name, value, ... */
    private final String[] fields;
    private final int count;

    private Headers(String[] fields, int count) {
        this.fields = fields;
        this.count = count;
    }

    /** No fields. */
    public static Headers none() {
        return NONE;
    }

    /**
     * Fields from alternating names and values, e.g. {@code of("Content-Type", "text/plain")}.
     *
     * @throws IllegalArgumentException for an odd count, a name that is not an HTTP token, or a value with a
     *                                  line break or other control character (it would split the response)
     */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        for (int i = 0; i < namesAndValues.length; i += 2) {
            checkField(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new Headers(namesAndValues.clone(), namesAndValues.length / 2);
    }

    /** These fields and one more after them (a repeated name adds a value; it replaces nothing). */
    public Headers with(String name, String value) {
        checkField(name, value);
        var more = Arrays.copyOf(fields, count * 2 + 2);
        more[count * 2] = name;
        more[count * 2 + 1] = value;
        return new Headers(more, count + 1);
    }

    /** The first value of the named field. */
    public Optional<String> first(String name) {
        for (int i = 0; i < count * 2; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                return Optional.of(fields[i + 1]);
            }
        }
        return Optional.empty();
    }

    /** Every value of the named field, in order; empty when absent. */
    public List<String> all(String name) {
        var values = new ArrayList<String>(1);
        for (int i = 0; i < count * 2; i += 2) {
            if (fields[i].equalsIgnoreCase(name)) {
                values.add(fields[i + 1]);
            }
        }
        return values;
    }

    public boolean contains(String name) {
        return first(name).isPresent();
    }

    /** How many fields (a repeated name counts each time). */
    public int size() {
        return count;
    }

    /** The name of the {@code index}th field, as it was sent. */
    public String name(int index) {
        return fields[checked(index) * 2];
    }

    /** The value of the {@code index}th field. */
    public String value(int index) {
        return fields[checked(index) * 2 + 1];
    }

    private int checked(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(index);
        }
        return index;
    }

    /** Every field in order, names as they were sent. */
    public void forEach(BiConsumer<String, String> action) {
        for (int i = 0; i < count * 2; i += 2) {
            action.accept(fields[i], fields[i + 1]);
        }
    }

    @Override
    public String toString() {
        var text = new StringBuilder("{");
        forEach((name, value) -> text.append(text.length() > 1 ? ", " : "").append(name).append(": ").append(value));
        return text.append('}').toString();
    }

    /** What a request parser that has already checked every field builds. */
    static final class Builder {
        private String[] fields = new String[32];
        private int count;

        void add(String name, String value) {
            if (count * 2 == fields.length) {
                fields = Arrays.copyOf(fields, fields.length * 2);
            }
            fields[count * 2] = name;
            fields[count * 2 + 1] = value;
            count++;
        }

        Headers build() {
            return count == 0 ? NONE : new Headers(fields, count);
        }
    }

    private static void checkField(String name, String value) {
        if (name == null || name.isEmpty() || !HttpSyntax.isToken(name)) {
            throw new IllegalArgumentException("not a header name: " + name);
        }
        if (value == null) {
            throw new IllegalArgumentException("null value for header " + name);
        }
        for (int i = 0; i < value.length(); i++) {
            if (!HttpSyntax.isFieldValueChar(value.charAt(i))) {
                throw new IllegalArgumentException("header " + name + " has a control or non-Latin-1 character at " + i);
            }
        }
    }
}
