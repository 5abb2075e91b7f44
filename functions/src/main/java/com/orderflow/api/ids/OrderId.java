package com.orderflow.api.ids;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * The shape of order ids ({@code ord_} + 26 lowercase Crockford base32 characters) and the ids derived from
 * idempotency keys. Every id from a client is checked here before it becomes part of an S3 key.
 */
public final class OrderId {

    public static final Pattern PATTERN = Pattern.compile("^ord_[0-9a-z]{26}$");
    public static final String PREFIX = "ord_";
    public static final int BODY_LENGTH = 26;

    /** Crockford's base32 in lower case: no i, l, o or u, so ids survive being read aloud or retyped. */
    static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

    private OrderId() {
    }

    public static boolean isValid(String candidate) {
        return candidate != null && candidate.length() == PREFIX.length() + BODY_LENGTH
                && PATTERN.matcher(candidate).matches();
    }

    /**
     * The order id for an idempotency key: the first 130 bits of a SHA-256 over a versioned namespace and the key,
     * so the same key always names the same order (and the same Step Functions execution).
     */
    public static String fromIdempotencyKey(IdempotencyKey key) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256")
                    .digest(("orderflow/idempotency/v1\n" + key.value()).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
        return PREFIX + base32(digest, BODY_LENGTH);
    }

    /** The first {@code chars} base32 characters of {@code bytes} read as one big-endian bit string. */
    static String base32(byte[] bytes, int chars) {
        if (bytes.length * 8 < chars * 5) {
            throw new IllegalArgumentException("need " + chars * 5 + " bits, got " + bytes.length * 8);
        }
        var out = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            int bit = i * 5;
            int value = 0;
            for (int b = 0; b < 5; b++) {
                int index = bit + b;
                int set = (bytes[index / 8] >> (7 - index % 8)) & 1;
                value = (value << 1) | set;
            }
            out.append(ALPHABET[value]);
        }
        return out.toString();
    }
}
