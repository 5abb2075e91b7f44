package com.orderflow.local.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the requests of one connection (RFC 9112), pipelined ones included. The header block is parsed in place
 * from one buffer that never grows past the header limit; a body gets an array of its own, filled straight from
 * the socket once the buffered part is used up.
 */
final class RequestReader {

    private static final int INITIAL_BUFFER = 4096;
    /** Marks a chunked body in place of a length. */
    private static final long CHUNKED = -1;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(US_ASCII);

    private final InputBuffer input;
    private final OutputStream out;
    private final ServerLimits limits;
    private final Runnable onRequestStart;
    private final InetSocketAddress remoteAddress;

    /**
     * @param out            where {@code 100 Continue} goes
     * @param onRequestStart called when the first byte of each request has arrived
     */
    RequestReader(InputStream in, OutputStream out, ServerLimits limits, Runnable onRequestStart,
                  InetSocketAddress remoteAddress) {
        this.input = new InputBuffer(in, INITIAL_BUFFER, limits.maxHeaderBytes());
        this.out = out;
        this.limits = limits;
        this.onRequestStart = onRequestStart;
        this.remoteAddress = remoteAddress;
    }

    /**
     * The next request, or {@code null} when the client closed the connection between requests.
     *
     * @throws RejectedRequest when the request is malformed, too large or asks for what is not implemented
     * @throws EOFException    when the connection ends in the middle of a request
     */
    Request next() throws IOException, RejectedRequest {
        input.rewindIfEmpty();
        int headerEnd = awaitHeaderBlock();
        if (headerEnd < 0) {
            return null;
        }
        int lineEnd = input.indexOf('\n', input.pos(), headerEnd);
        var line = RequestLine.parse(input.bytes(), input.pos(), input.contentEnd(lineEnd));
        var headers = parseFields(lineEnd + 1, headerEnd);
        input.consumeTo(headerEnd);
        boolean http11 = line.protocol().equals(RequestLine.HTTP_1_1);
        if (http11 && headers.all("Host").size() != 1) {
            throw new RejectedRequest(400, "An HTTP/1.1 request needs exactly one Host header");
        }
        long length = bodyLength(headers, http11);
        answerExpectation(headers, http11, length);
        byte[] body;
        if (length == CHUNKED) {
            body = ChunkedBody.read(input, limits);
        } else {
            body = new byte[(int) length];
            input.read(body, 0, body.length);
        }
        return new Request(line.method(), line.rawPath(), line.rawQuery(), line.protocol(), headers, body,
                remoteAddress);
    }

    /** The index just past the blank line that ends the header block, or -1 for a clean end of the connection. */
    private int awaitHeaderBlock() throws IOException, RejectedRequest {
        boolean announced = false;
        int skipped = 0;
        int scanned = 0; // relative to pos: filling may move the buffered bytes to the front
        while (true) {
            while (input.buffered() > 0 && isLineBreak(input.bytes()[input.pos()])) {
                // a server should ignore empty lines before a request line (RFC 9112 2.2)
                input.consumeTo(input.pos() + 1);
                skipped++;
            }
            if (skipped > limits.maxHeaderBytes()) {
                throw new RejectedRequest(400, "Empty lines where a request line was expected");
            }
            if (!announced && (skipped > 0 || input.buffered() > 0)) {
                announced = true;
                onRequestStart.run();
            }
            if (input.buffered() > 0) {
                int end = input.indexAfterBlankLine(input.pos() + scanned);
                if (end > 0) {
                    if (end - input.pos() > limits.maxHeaderBytes()) {
                        throw tooLargeHeader();
                    }
                    return end;
                }
                if (input.buffered() >= limits.maxHeaderBytes()) {
                    throw tooLargeHeader();
                }
                scanned = input.buffered();
            }
            if (input.fill() < 0) {
                if (input.buffered() == 0) {
                    return -1;
                }
                throw new EOFException("the connection ended inside a request's header");
            }
        }
    }

    private RejectedRequest tooLargeHeader() {
        return new RejectedRequest(431, "The request line and header fields are larger than "
                + limits.maxHeaderBytes() + " bytes");
    }

    private Headers parseFields(int from, int headerEnd) throws RejectedRequest {
        var buf = input.bytes();
        var headers = new Headers.Builder();
        int lineStart = from;
        while (true) {
            int lineEnd = input.indexOf('\n', lineStart, headerEnd);
            int end = input.contentEnd(lineEnd);
            if (end <= lineStart) {
                return headers.build();
            }
            if (buf[lineStart] == ' ' || buf[lineStart] == '\t') {
                throw new RejectedRequest(400, "Obsolete line folding in a header field");
            }
            int colon = input.indexOf(':', lineStart, end);
            if (colon <= lineStart) {
                throw new RejectedRequest(400, "A header line without a field name and colon");
            }
            for (int i = lineStart; i < colon; i++) {
                if (!HttpSyntax.isTokenChar(buf[i])) {
                    throw new RejectedRequest(400, "A header field name with a character a token cannot hold");
                }
            }
            int valueStart = colon + 1;
            int valueEnd = end;
            while (valueStart < valueEnd && isWhitespace(buf[valueStart])) {
                valueStart++;
            }
            while (valueEnd > valueStart && isWhitespace(buf[valueEnd - 1])) {
                valueEnd--;
            }
            for (int i = valueStart; i < valueEnd; i++) {
                if (!HttpSyntax.isFieldValueChar(buf[i] & 0xff)) {
                    throw new RejectedRequest(400, "A header field value with a control character");
                }
            }
            headers.add(new String(buf, lineStart, colon - lineStart, ISO_8859_1),
                    new String(buf, valueStart, valueEnd - valueStart, ISO_8859_1));
            lineStart = lineEnd + 1;
        }
    }

    /** The body's length from the framing headers (RFC 9112 6.3), or {@link #CHUNKED}. */
    private long bodyLength(Headers headers, boolean http11) throws RejectedRequest {
        var transferEncodings = headers.all("Transfer-Encoding");
        var contentLengths = headers.all("Content-Length");
        if (!transferEncodings.isEmpty()) {
            if (!http11) {
                throw new RejectedRequest(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (!contentLengths.isEmpty()) {
                // a request smuggling pattern: two framings that intermediaries may read differently
                throw new RejectedRequest(400, "Both Transfer-Encoding and Content-Length");
            }
            var codings = listElements(transferEncodings);
            if (codings.isEmpty() || !codings.getLast().equals("chunked")) {
                throw new RejectedRequest(400, "A request's Transfer-Encoding must end with chunked");
            }
            if (codings.size() > 1) {
                throw new RejectedRequest(501, "Only the chunked transfer coding is implemented, not "
                        + String.join(", ", codings));
            }
            return CHUNKED;
        }
        if (contentLengths.isEmpty()) {
            return 0;
        }
        long length = -1;
        for (var value : listElements(contentLengths)) {
            long parsed = parseLength(value);
            if (parsed < 0 || (length >= 0 && parsed != length)) {
                throw new RejectedRequest(400, "Content-Length is not one decimal number");
            }
            length = parsed;
        }
        if (length < 0) {
            throw new RejectedRequest(400, "An empty Content-Length");
        }
        if (length > limits.maxBodyBytes()) {
            throw RejectedRequest.bodyTooLarge(limits);
        }
        return length;
    }

    private void answerExpectation(Headers headers, boolean http11, long length) throws IOException, RejectedRequest {
        var expect = headers.first("Expect");
        if (expect.isEmpty() || !http11) {
            return; // an HTTP/1.0 server must ignore 100-continue (RFC 9110 10.1.1)
        }
        if (!expect.get().equalsIgnoreCase("100-continue")) {
            throw new RejectedRequest(417, "Only Expect: 100-continue is understood");
        }
        if (length != 0 && input.buffered() == 0) {
            // the client waits for this before it sends the body (curl, for a second, when it does not come)
            out.write(CONTINUE);
        }
    }

    private static boolean isLineBreak(byte b) {
        return b == '\r' || b == '\n';
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t';
    }

    /** The elements of comma-separated list fields, trimmed and lower-cased, empty ones dropped. */
    private static List<String> listElements(List<String> values) {
        var elements = new ArrayList<String>(2);
        for (var value : values) {
            for (var element : value.split(",")) {
                var trimmed = element.strip();
                if (!trimmed.isEmpty()) {
                    elements.add(trimmed.toLowerCase(Locale.ROOT));
                }
            }
        }
        return elements;
    }

    /** A Content-Length value (saturating at {@code Long.MAX_VALUE}), or -1 when it is not a decimal number. */
    private static long parseLength(String value) {
        if (value.isEmpty()) {
            return -1;
        }
        long length = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            length = length > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : length * 10 + (c - '0');
        }
        return length;
    }
}
