package com.orderflow.api.ids;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * A client's {@code Idempotency-Key}: 1 to 128 letters, digits and {@code - _ . :}; a value quoted as an RFC 8941
 * string (as draft-ietf-httpapi-idempotency-key-header writes it) is accepted without its quotes.
 */
public record IdempotencyKey(String value) {

    public static final String HEADER = "Idempotency-Key";
    /** Marks the answer to a repeat of a known key with the same body: {@code Idempotent-Replayed: true}. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    public static final String RULE = "must be 1 to 128 characters of A-Z a-z 0-9 - _ . : (a UUID is ideal)";
    private static final Pattern SHAPE = Pattern.compile("^[A-Za-z0-9._:-]{1,128}$");

    public IdempotencyKey {
        if (value == null || !SHAPE.matcher(value).matches()) {
            throw new IllegalArgumentException("Idempotency-Key " + RULE);
        }
    }

    /** The key in a header value, or null when the value is not a valid key. */
    public static IdempotencyKey parseOrNull(String headerValue) {
        if (headerValue == null || headerValue.length() > 200) {
            return null;
        }
        var raw = headerValue.strip();
        if (raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"")) {
            raw = raw.substring(1, raw.length() - 1);
        }
        return SHAPE.matcher(raw).matches() ? new IdempotencyKey(raw) : null;
    }

    /**
     * The order id this key names: {@code ord_} and the first 130 bits of a SHA-256 over a versioned namespace and
     * the key, so the same key always names the same order, and the same Step Functions execution.
     */
    public String orderId() {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256")
                    .digest(("orderflow/idempotency/v1\n" + value).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
        return SecureRandomOrderIdGenerator.PREFIX + CrockfordBase32.encode(digest, SecureRandomOrderIdGenerator.ID_CHARS);
    }
}
