package com.orderflow.api.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One offending input named the way RFC 9457's extension examples do: a JSON pointer into the body,
 * a query parameter or a header, each with a human-readable message.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String pointer, String parameter, String header, String detail) {

    /** Longest client-supplied name echoed back; longer ones are cut so an error never grows with the input. */
    private static final int MAX_ECHO = 100;

    public FieldError {
        pointer = pointer == null ? null : echoable(pointer);
        parameter = parameter == null ? null : echoable(parameter);
        header = header == null ? null : echoable(header);
    }

    /** An error in the body at the RFC 6901 JSON pointer {@code pointer} (for example {@code /items/0/quantity}). */
    public static FieldError body(String pointer, String detail) {
        return new FieldError(pointer, null, null, detail);
    }

    public static FieldError parameter(String name, String detail) {
        return new FieldError(null, name, null, detail);
    }

    public static FieldError header(String name, String detail) {
        return new FieldError(null, null, name, detail);
    }

    /**
     * Makes client text safe to echo: bounded length, unpaired surrogates and control characters replaced,
     * because a response must always be well-formed UTF-8 whatever the request contained.
     */
    public static String echoable(String text) {
        var out = new StringBuilder(Math.min(text.length(), MAX_ECHO + 1));
        for (int i = 0; i < text.length() && out.length() < MAX_ECHO; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else if (Character.isSurrogate(c) || Character.isISOControl(c)) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        if (out.length() < text.length() && out.length() >= MAX_ECHO) {
            out.append('\u2026');
        }
        return out.toString();
    }
}
