package com.orderflow.local.s3;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link LocalS3Server#clientFor}'s clients put on the wire: read off a raw socket on loopback. */
class LocalClientRequestsTest {

    @Test
    void aPutObject_isUnsigned_withItsPlainBody_inOneRoundTrip_atTheBucketsPath() throws Exception {
        try (var server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var seen = CompletableFuture.supplyAsync(() -> answerOne(server));
            try (var s3 = LocalS3Server.clientFor(URI.create("http://127.0.0.1:" + server.getLocalPort()))) {
                s3.putObject(b -> b.bucket("orderflow-orders-local").key("orders/ord_1.json"),
                        RequestBody.fromString("{\"orderId\":\"ord_1\"}"));
            }
            String request = seen.get(10, TimeUnit.SECONDS).toLowerCase(java.util.Locale.ROOT);

            assertThat(request).startsWith("put /orderflow-orders-local/orders/ord_1.json ");
            assertThat(request).doesNotContain("authorization:", "x-amz-content-sha256", "aws-chunked",
                    "x-amz-decoded-content-length", "x-amz-trailer");
            // the body follows the head at once: no wait for a 100 Continue
            assertThat(request).doesNotContain("expect:");
            assertThat(request).endsWith("\r\n\r\n{\"orderid\":\"ord_1\"}");
        }
    }

    /** The one request's head and body as text; answers it 200 with an ETag and closes. */
    private static String answerOne(ServerSocket server) {
        try (var socket = server.accept()) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            var head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (text.toLowerCase(java.util.Locale.ROOT).contains("\r\nexpect: 100-continue\r\n")) {
                socket.getOutputStream().write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
                }
            }
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nETag: \"abc\"\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            return text + body;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
