package com.orderflow.local.s3;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Undoes the {@code aws-chunked} content encoding the AWS SDKs use to stream a PutObject body with a signature per
 * chunk or a checksum in trailers: {@code hex-size[;chunk-signature=...]CRLF data CRLF ... 0[;...]CRLF trailers CRLF}.
 */
final class AwsChunked {

    private AwsChunked() {
    }

    static boolean applies(com.orderflow.local.http.Headers headers) {
        return headers.first("x-amz-content-sha256").map(v -> v.startsWith("STREAMING-")).orElse(false)
                || headers.first("Content-Encoding").map(v -> v.contains("aws-chunked")).orElse(false);
    }

    /** The payload the chunks carry. */
    static byte[] decode(byte[] body) {
        var out = new ByteArrayOutputStream(body.length);
        int at = 0;
        while (true) {
            int lineEnd = indexOfCrlf(body, at);
            if (lineEnd < 0) {
                throw incomplete();
            }
            String line = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
            int semicolon = line.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semicolon < 0 ? line : line.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw incomplete();
            }
            at = lineEnd + 2;
            if (size == 0) {
                return out.toByteArray();
            }
            if (size < 0 || at + size + 2 > body.length) {
                throw incomplete();
            }
            out.write(body, at, size);
            at += size + 2;
        }
    }

    private static int indexOfCrlf(byte[] body, int from) {
        for (int i = from; i + 1 < body.length; i++) {
            if (body[i] == '\r' && body[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static S3Error incomplete() {
        return new S3Error(400, "IncompleteBody", "The request body's aws-chunked encoding is incomplete or malformed.");
    }
}
