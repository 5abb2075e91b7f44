package com.orderflow.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeadersTest {

    @Test
    void lookups_ignoreCase_andKeepOrderAndRepeats() {
        var headers = Headers.of("Accept", "a", "X-Many", "1").with("x-many", "2");

        assertThat(headers.first("ACCEPT")).contains("a");
        assertThat(headers.all("X-MANY")).containsExactly("1", "2");
        assertThat(headers.first("Missing")).isEmpty();
        assertThat(headers.name(2)).isEqualTo("x-many");
        assertThat(headers.size()).isEqualTo(3);
    }

    @Test
    void with_leavesTheOriginalAsItWas() {
        var original = Headers.of("A", "1");

        original.with("B", "2");

        assertThat(original.contains("B")).isFalse();
    }

    @Test
    void aLineBreakOrBadName_isRefused_soAHandlerCannotSplitAResponse() {
        assertThatThrownBy(() -> Headers.of("X-A", "1\r\nSet-Cookie: evil=1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Headers.none().with("X-A", "1\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Headers.of("Bad Name", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Headers.of("X-A", "snow \u2603")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Headers.of("odd")).isInstanceOf(IllegalArgumentException.class);
    }
}
