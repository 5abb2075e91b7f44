package com.orderflow.api.ids;

/**
 * Crockford's base32 in lower case (no i, l, o or u, so ids survive being read aloud or retyped); every character
 * falls in the {@code [0-9a-z]} of the order-id pattern.
 */
final class CrockfordBase32 {

    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    private CrockfordBase32() {
    }

    /** The first {@code chars} characters of {@code bytes} read as one big-endian bit string, 5 bits a character. */
    static String encode(byte[] bytes, int chars) {
        if (bytes.length * 8 < chars * 5) {
            throw new IllegalArgumentException("need " + chars * 5 + " bits, got " + bytes.length * 8);
        }
        var out = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            int value = 0;
            for (int b = 0; b < 5; b++) {
                int index = i * 5 + b;
                value = (value << 1) | ((bytes[index / 8] >> (7 - index % 8)) & 1);
            }
            out.append(ALPHABET[value]);
        }
        return out.toString();
    }
}
