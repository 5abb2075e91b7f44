package com.orderflow.api.orders;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class PageTokenTest {

    private static String token(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void token_roundTrips_andIsUrlSafe() {
        var token = new PageToken("orders/ord_zzzzzzzzzzzzzzzzzzzzzzzzzz.json").encode();

        assertThat(token).matches("^[A-Za-z0-9_-]+$");
        assertThat(PageToken.decodeOrNull(token)).isEqualTo(new PageToken("orders/ord_zzzzzzzzzzzzzzzzzzzzzzzzzz.json"));
    }

    @Test
    void tokensThisApiDidNotIssue_areRefused() {
        assertThat(PageToken.decodeOrNull("")).isNull();
        assertThat(PageToken.decodeOrNull("!!!")).isNull();
        assertThat(PageToken.decodeOrNull(token("[]"))).isNull();
        assertThat(PageToken.decodeOrNull(token("{\"v\":2,\"after\":\"orders/a\"}"))).isNull();
        assertThat(PageToken.decodeOrNull(token("{\"v\":1,\"after\":\"secrets/a\"}"))).isNull();
        assertThat(PageToken.decodeOrNull(token("{\"v\":1,\"after\":\"orders/../x\"}")))
                .as("any position under orders/ is harmless: it only starts a listing")
                .isEqualTo(new PageToken("orders/../x"));
        assertThat(PageToken.decodeOrNull(token("{\"v\":1,\"after\":\"orders/a\\u0000b\"}"))).isNull();
        assertThat(PageToken.decodeOrNull(token("{\"v\":1,\"after\":\"orders/\\ud800\"}"))).isNull();
        assertThat(PageToken.decodeOrNull(token("{\"v\":1,\"after\":\"orders/\"}"))).isNull();
        assertThat(PageToken.decodeOrNull("a".repeat(6001))).isNull();
    }

    @Test
    void anyKeyS3CouldListUnderOrders_canBeAPosition() {
        var key = "orders/archive/2026 \u00e9t\u00e9 \uD83D\uDE80.json";

        assertThat(PageToken.decodeOrNull(new PageToken(key).encode())).isEqualTo(new PageToken(key));
    }
}
