package com.orderflow.local.http;

import java.io.IOException;
import java.util.Arrays;

/**
 * Undoes the chunked transfer coding of a request body (RFC 9112 7.1): chunk extensions are ignored, trailer
 * fields are read past and dropped (nothing here needs them), and the body limit holds across all chunks.
 */
final class ChunkedBody {

    /** A chunk-size line (with any extensions) longer than this is refused. */
    private static final int MAX_CHUNK_LINE = 1024;
    private static final int INITIAL_SIZE = 4096;

    private ChunkedBody() {
    }

    static byte[] read(InputBuffer input, ServerLimits limits) throws IOException, RejectedRequest {
        var body = new byte[Math.min(limits.maxBodyBytes(), INITIAL_SIZE)];
        int size = 0;
        while (true) {
            int lineEnd = input.awaitLine(MAX_CHUNK_LINE, 400, "A chunk-size line longer than " + MAX_CHUNK_LINE + " bytes");
            long chunk = chunkSize(input, input.contentEnd(lineEnd), limits);
            input.consumeTo(lineEnd + 1);
            if (chunk == 0) {
                break;
            }
            if (size + chunk > limits.maxBodyBytes()) {
                throw RejectedRequest.bodyTooLarge(limits);
            }
            int length = (int) chunk;
            if (size + length > body.length) {
                body = Arrays.copyOf(body, (int) Math.min(limits.maxBodyBytes(), Math.max(size + length, 2L * body.length)));
            }
            input.read(body, size, length);
            size += length;
            int end = input.awaitLine(2, 400, "A chunk's data is not followed by CRLF");
            if (input.contentEnd(end) != input.pos()) {
                throw new RejectedRequest(400, "A chunk's data is not followed by CRLF");
            }
            input.consumeTo(end + 1);
        }
        skipTrailers(input, limits);
        return size == body.length ? body : Arrays.copyOf(body, size);
    }

    /** A chunk size in hex, from the line at the input's position to {@code end}. */
    private static long chunkSize(InputBuffer input, int end, ServerLimits limits) throws RejectedRequest {
        var buf = input.bytes();
        int from = input.pos();
        long size = 0;
        int i = from;
        for (; i < end && Character.digit(buf[i], 16) >= 0; i++) {
            size = size * 16 + Character.digit(buf[i], 16);
            if (size > limits.maxBodyBytes()) {
                throw RejectedRequest.bodyTooLarge(limits);
            }
        }
        if (i == from) {
            throw new RejectedRequest(400, "A chunk without a hexadecimal size");
        }
        while (i < end && (buf[i] == ' ' || buf[i] == '\t')) {
            i++;
        }
        if (i < end && buf[i] != ';') {
            throw new RejectedRequest(400, "A chunk size followed by something other than an extension");
        }
        return size;
    }

    /** Trailer fields count against the header limit. */
    private static void skipTrailers(InputBuffer input, ServerLimits limits) throws IOException, RejectedRequest {
        int total = 0;
        while (true) {
            int lineEnd = input.awaitLine(limits.maxHeaderBytes() - total, 431,
                    "The trailer fields are larger than " + limits.maxHeaderBytes() + " bytes");
            boolean blank = input.contentEnd(lineEnd) == input.pos();
            total += lineEnd + 1 - input.pos();
            input.consumeTo(lineEnd + 1);
            if (blank) {
                return;
            }
        }
    }
}
