package com.orderflow.api.orders;

import com.orderflow.json.Json;
import com.orderflow.order.OrderIndex;
import com.orderflow.order.OrderRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code nextToken} of {@code GET /orders}: base64url of a small versioned JSON naming where the last
 * page ended. Version 1 continues the listing of the records in key order and carries an S3 {@code StartAfter} key
 * rather than S3's own continuation token, so that a token can be validated completely here, and a forged one can
 * at most start a listing elsewhere under {@code orders/}; version 2 continues a filtered listing, newest created
 * first, and carries an {@link OrderIndex} position, which holds for every status's entries at once.
 */
public record PageToken(Kind kind, String afterKey) {

    /** Which listing the token continues. */
    public enum Kind {
        /** Every record, in S3 key order ({@code orders/}). */
        KEY_ORDER,
        /** A filtered listing of the index, newest created first. */
        NEWEST_FIRST
    }

    private static final int VERSION = 1;
    private static final int INDEX_VERSION = 2;
    private static final String PREFIX = OrderRecord.KEY_PREFIX;
    /** S3 keys are at most 1024 bytes; base64 of the JSON around one stays below this. */
    private static final int MAX_TOKEN_LENGTH = 6000;

    public PageToken {
        var valid = kind == Kind.KEY_ORDER ? isListingPosition(afterKey) : OrderIndex.isPosition(afterKey);
        if (!valid) {
            throw new IllegalArgumentException("not an order listing position");
        }
    }

    /** A token of the listing in key order. */
    public PageToken(String afterKey) {
        this(Kind.KEY_ORDER, afterKey);
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
        var json = Json.mapper().createObjectNode().put("v", kind == Kind.KEY_ORDER ? VERSION : INDEX_VERSION)
                .put("after", afterKey).toString();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The token a client sent back, or null when it is not one this API issued. */
    public static PageToken decodeOrNull(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return null;
        }
        try {
            var json = Json.mapper().readTree(Base64.getUrlDecoder().decode(token));
            if (json == null || !json.isObject() || !json.path("v").isInt() || !json.path("after").isTextual()) {
                return null;
            }
            var after = json.get("after").textValue();
            return switch (json.get("v").intValue()) {
                case VERSION -> isListingPosition(after) ? new PageToken(after) : null;
                case INDEX_VERSION -> OrderIndex.isPosition(after) ? new PageToken(Kind.NEWEST_FIRST, after) : null;
                default -> null;
            };
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }
}
