package com.orderflow.local.sfn;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * Opaque {@code nextToken}s: the key of the last item returned, bound to the listing it came from,
 * so a page boundary survives items being added in front of it.
 */
final class NextTokens {

    private NextTokens() {
    }

    /** One page of a listing and the token for the next, {@code null} on the last page. */
    record Page<T>(List<T> items, String nextToken) {
    }

    static <T> Page<T> page(List<T> all, Function<T, String> key, String listing, String token, int max) {
        int start = 0;
        if (token != null) {
            var after = decode(listing, token);
            start = -1;
            for (int i = 0; i < all.size(); i++) {
                if (key.apply(all.get(i)).equals(after)) {
                    start = i + 1;
                    break;
                }
            }
            if (start < 0) {
                throw invalid(token);
            }
        }
        int end = Math.min(all.size(), start + max);
        var items = all.subList(start, end);
        var next = end < all.size() ? encode(listing, key.apply(all.get(end - 1))) : null;
        return new Page<>(List.copyOf(items), next);
    }

    /** The token that continues {@code listing} after the item with this key. */
    static String after(String listing, String key) {
        return encode(listing, key);
    }

    /** The key a token of {@code listing} continues after; InvalidToken when it is not one of this listing's. */
    static String keyOf(String listing, String token) {
        return decode(listing, token);
    }

    static StepFunctionsException invalidToken(String token) {
        return invalid(token);
    }

    private static String encode(String listing, String key) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((listing + "\n" + key).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String listing, String token) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(token);
        }
        var prefix = listing + "\n";
        if (!text.startsWith(prefix)) {
            throw invalid(token);
        }
        return text.substring(prefix.length());
    }

    private static StepFunctionsException invalid(String token) {
        return new StepFunctionsException("InvalidToken", "Invalid Token: '" + token + "'");
    }
}
