package com.orderflow.api.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CorsPolicyTest {

    @Test
    void aPortWildcard_matchesThatHostOnAnyPortOrNone_andNothingElse() {
        var policy = CorsPolicy.load("http://localhost:*");

        assertThat(policy.allowOrigin("http://localhost:5173")).contains("http://localhost:5173");
        assertThat(policy.allowOrigin("http://localhost")).contains("http://localhost");
        assertThat(policy.allowOrigin("https://localhost:5173")).isEmpty();
        assertThat(policy.allowOrigin("http://localhost.evil.example")).isEmpty();
        assertThat(policy.allowOrigin("http://localhostx:1")).isEmpty();
        assertThat(policy.allowOrigin("http://localhost:5173/")).isEmpty();
        assertThat(policy.allowOrigin(null)).isEmpty();
    }

    @Test
    void anExactOrigin_matchesOnlyItself_andADotIsNoWildcard() {
        var policy = CorsPolicy.load("https://shop.example.com");

        assertThat(policy.allowOrigin("https://shop.example.com")).isPresent();
        assertThat(policy.allowOrigin("https://shopxexample.com")).isEmpty();
        assertThat(policy.allowOrigin("https://shop.example.com:443")).isEmpty();
    }

    @Test
    void theRestOfThePolicy_comesFromTheSharedFile() {
        var policy = CorsPolicy.load("*");

        assertThat(policy.allowOrigin("https://anyone.example")).contains("*");
        assertThat(policy.responseHeaders("https://anyone.example")).doesNotContainKey("Vary");
        assertThat(policy.preflightHeaders("/orders", "https://anyone.example"))
                .containsEntry("Access-Control-Allow-Methods", "GET,HEAD,POST,OPTIONS")
                .containsEntry("Access-Control-Allow-Headers", "Content-Type,Idempotency-Key")
                .containsEntry("Access-Control-Max-Age", "600");
        assertThat(policy.answersPreflight("/orders/{id}/history")).isTrue();
        assertThat(policy.answersPreflight("/{proxy+}")).isFalse();
    }

    @Test
    void offOrBlank_isNoPolicy_andWhatIsNotAnOriginIsRefused() {
        assertThat(CorsPolicy.load("off").enabled()).isFalse();
        assertThat(CorsPolicy.load(null).responseHeaders("http://localhost:1")).isEmpty();
        assertThatThrownBy(() -> CorsPolicy.load("localhost:3000")).hasMessageContaining("is not an origin");
        assertThatThrownBy(() -> CorsPolicy.load("http://a.example\",x")).hasMessageContaining("is not an origin");
        assertThatThrownBy(() -> CorsPolicy.load("*,http://localhost:*")).hasMessageContaining("cannot be listed");
    }
}
