package com.orderflow.api.orders;

import com.orderflow.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code nextToken} of {@code GET /orders}: base64url of a small versioned JSON naming the last key
 * listed. It carries an S3 {@code StartAfter} key rather than S3's own continuation token so that a token can be
 * validated completely here, and a forged one can at most start a listing elsewhere under {@code orders/}.
 */
public record PageToken(String afterKey) {

    private static final int VERSION = 1;
    private static final String PREFIX = "orders/";
    /** S3 keys are at most 1024 bytes; base64 of the JSON around one stays below this. */
    private static final int MAX_TOKEN_LENGTH = 6000;

    public PageToken {
        if (!isListingPosition(afterKey)) {
            throw new IllegalArgumentException("not an order listing position");
        }
    }

    /** Any key S3 could list under {@code orders/}: the workflow writes only order keys, but others may exist. */
    static boolean isListingPosition(String key) {
        if (key == null || !key.startsWith(PREFIX) || key.length() <= PREFIX.length() || key.length() > 1024) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < key.length() && Character.isLowSurrogate(key.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
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
            return isListingPosition(after) ? new PageToken(after) : null;
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }
}
