package com.orderflow.local.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResponseEncoderTest {

    static String encode(Response response, boolean withBody, boolean close, boolean keepAlive) {
        return new String(ResponseEncoder.encode(response, withBody, close, keepAlive), ISO_8859_1);
    }

    @Test
    void statusLineHeadersAndBody_areOneArray_withTheServersOwnFraming() {
        var response = new Response(201, Headers.of("Content-Length", "999", "Transfer-Encoding", "chunked",
                "Connection", "keep-alive", "X-A", "1"), "body".getBytes(ISO_8859_1));

        var text = encode(response, true, true, false);

        assertThat(text).startsWith("HTTP/1.1 201 Created\r\nX-A: 1\r\nDate: ")
                .endsWith("\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody")
                .doesNotContain("999").doesNotContain("chunked").doesNotContain("keep-alive");
    }

    @Test
    void withoutBody_keepsTheBodysLength_butNotItsBytes() {
        var text = encode(Response.text(200, "hello"), false, false, true);

        assertThat(text).contains("Content-Length: 5\r\n").endsWith("Connection: keep-alive\r\n\r\n");
    }

    @Test
    void noContent_hasNoContentLengthAndNoBody_andAGivenDateIsKept() {
        var text = encode(new Response(204, Headers.of("Date", "Thu, 01 Jan 2026 00:00:00 GMT"), new byte[] {1}),
                true, false, false);

        assertThat(text).isEqualTo("HTTP/1.1 204 No Content\r\nDate: Thu, 01 Jan 2026 00:00:00 GMT\r\n\r\n");
    }
}
