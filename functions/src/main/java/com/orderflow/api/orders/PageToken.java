package com.orderflow.api.orders;

import com.orderflow.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The opaque {@code nextToken} of {@code GET /orders}: base64url of a small versioned JSON naming the last key
 * listed. It carries an S3 {@code StartAfter} key rather than S3's own continuation token so that a token can be
 * validated completely here, and a forged one can at most start a listing elsewhere under {@code orders/}.
 */
public record PageToken(String afterKey) {

    private static final int VERSION = 1;
    private static final int MAX_TOKEN_LENGTH = 512;
    private static final Pattern KEY = Pattern.compile("^orders/[\\x21-\\x7E]{1,400}$");

    public PageToken {
        if (afterKey == null || !KEY.matcher(afterKey).matches()) {
            throw new IllegalArgumentException("not an order listing position");
        }
    }

    public String encode() {
        var json = Json.mapper().createObjectNode().put("v", VERSION).put("after", afterKey).toString();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The token a client sent back, or null when it is not one this API issued. */
    public static PageToken decodeOrNull(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return null;
        }
        try {
            var json = Json.mapper().readTree(Base64.getUrlDecoder().decode(token));
            if (json == null || !json.isObject() || !json.path("v").isInt() || json.get("v").intValue() != VERSION || !json.path("after").isTextual()) {
                return null;
            }
            var after = json.get("after").textValue();
            return KEY.matcher(after).matches() ? new PageToken(after) : null;
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }
}
