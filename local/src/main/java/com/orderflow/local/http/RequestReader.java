package com.orderflow.local.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Reads the requests of one connection (RFC 9112), pipelined ones included: bytes read past one request stay
 * buffered for the next. The header block is parsed from one buffer that never grows past the header limit;
 * a body is read into an array of its own, straight from the socket once the buffered part is used up.
 */
final class RequestReader {

    /** A chunk-size line (with any extensions) longer than this is refused. */
    private static final int MAX_CHUNK_LINE = 1024;
    private static final int INITIAL_BUFFER = 4096;
    /** Marks a chunked body in place of a length. */
    private static final long CHUNKED = -1;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(US_ASCII);

    private final InputStream in;
    private final OutputStream out;
    private final ServerLimits limits;
    private final Runnable onRequestStart;
    private final InetSocketAddress remoteAddress;
    private final int capacity;
    private byte[] buf = new byte[INITIAL_BUFFER];
    private int pos;
    private int lim;

    /**
     * @param out            where {@code 100 Continue} goes
     * @param onRequestStart called when the first byte of each request has arrived
     */
    RequestReader(InputStream in, OutputStream out, ServerLimits limits, Runnable onRequestStart,
                  InetSocketAddress remoteAddress) {
        this.in = in;
        this.out = out;
        this.limits = limits;
        this.onRequestStart = onRequestStart;
        this.remoteAddress = remoteAddress;
        this.capacity = Math.max(limits.maxHeaderBytes(), INITIAL_BUFFER);
    }

    /**
     * The next request, or {@code null} when the client closed the connection between requests.
     *
     * @throws RejectedRequest when the request is malformed, too large or asks for what is not implemented
     * @throws EOFException    when the connection ends in the middle of a request
     */
    Request next() throws IOException, RejectedRequest {
        if (pos == lim) {
            pos = 0;
            lim = 0;
        }
        int headerEnd = awaitHeaderBlock();
        if (headerEnd < 0) {
            return null;
        }
        int lineEnd = indexOf('\n', pos, headerEnd);
        var line = RequestLine.parse(buf, pos, contentEnd(lineEnd));
        var headers = parseFields(lineEnd + 1, headerEnd);
        pos = headerEnd;
        boolean http11 = line.protocol().equals(RequestLine.HTTP_1_1);
        if (http11 && headers.all("Host").size() != 1) {
            throw new RejectedRequest(400, "An HTTP/1.1 request needs exactly one Host header");
        }
        long length = bodyLength(headers, http11);
        answerExpectation(headers, http11, length);
        byte[] body = length == CHUNKED ? readChunked() : readFixed((int) length);
        return new Request(line.method(), line.rawPath(), line.rawQuery(), line.protocol(), headers, body,
                remoteAddress);
    }

    /** The index just past the blank line that ends the header block, or -1 for a clean end of the connection. */
    private int awaitHeaderBlock() throws IOException, RejectedRequest {
        boolean announced = false;
        int skipped = 0;
        int scanned = 0; // relative to pos: filling may move the buffered bytes to the front
        while (true) {
            while (pos < lim && (buf[pos] == '\r' || buf[pos] == '\n')) {
                // a server should ignore empty lines before a request line (RFC 9112 2.2)
                pos++;
                skipped++;
            }
            if (skipped > limits.maxHeaderBytes()) {
                throw new RejectedRequest(400, "Empty lines where a request line was expected");
            }
            if (!announced && (skipped > 0 || pos < lim)) {
                announced = true;
                onRequestStart.run();
            }
            if (pos < lim) {
                int end = findHeaderEnd(pos + scanned);
                if (end > 0) {
                    if (end - pos > limits.maxHeaderBytes()) {
                        throw tooLargeHeader();
                    }
                    return end;
                }
                if (lim - pos >= limits.maxHeaderBytes()) {
                    throw tooLargeHeader();
                }
                scanned = lim - pos;
            }
            if (fill() < 0) {
                if (pos == lim) {
                    return -1;
                }
                throw new EOFException("the connection ended inside a request's header");
            }
        }
    }

    /** Just past the first empty line at or after {@code from}; a bare LF ends a line as CRLF does. */
    private int findHeaderEnd(int from) {
        for (int i = Math.max(from, pos + 1); i < lim; i++) {
            if (buf[i] == '\n' && (buf[i - 1] == '\n' || (buf[i - 1] == '\r' && i - 2 >= pos && buf[i - 2] == '\n'))) {
                return i + 1;
            }
        }
        return -1;
    }

    private RejectedRequest tooLargeHeader() {
        return new RejectedRequest(431, "The request line and header fields are larger than "
                + limits.maxHeaderBytes() + " bytes");
    }

    private Headers parseFields(int from, int headerEnd) throws RejectedRequest {
        var headers = new Headers.Builder();
        int lineStart = from;
        while (true) {
            int lineEnd = indexOf('\n', lineStart, headerEnd);
            int end = contentEnd(lineEnd);
            if (end <= lineStart) {
                return headers.build();
            }
            if (buf[lineStart] == ' ' || buf[lineStart] == '\t') {
                throw new RejectedRequest(400, "Obsolete line folding in a header field");
            }
            int colon = indexOf(':', lineStart, end);
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
            throw tooLargeBody();
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
        if (length != 0 && pos == lim) {
            // the client waits for this before it sends the body (curl does, for a second, for bodies over 1 KiB)
            out.write(CONTINUE);
        }
    }

    private byte[] readFixed(int length) throws IOException {
        var body = new byte[length];
        int buffered = Math.min(length, lim - pos);
        System.arraycopy(buf, pos, body, 0, buffered);
        pos += buffered;
        readFully(body, buffered, length - buffered);
        return body;
    }

    private byte[] readChunked() throws IOException, RejectedRequest {
        var body = new byte[Math.min(limits.maxBodyBytes(), INITIAL_BUFFER)];
        int size = 0;
        while (true) {
            int lineEnd = awaitLine(MAX_CHUNK_LINE, 400, "A chunk-size line longer than " + MAX_CHUNK_LINE + " bytes");
            long chunk = parseChunkSize(pos, contentEnd(lineEnd));
            pos = lineEnd + 1;
            if (chunk == 0) {
                break;
            }
            if (size + chunk > limits.maxBodyBytes()) {
                throw tooLargeBody();
            }
            int length = (int) chunk;
            if (size + length > body.length) {
                body = Arrays.copyOf(body, (int) Math.min(limits.maxBodyBytes(), Math.max(size + length, 2L * body.length)));
            }
            int buffered = Math.min(length, lim - pos);
            System.arraycopy(buf, pos, body, size, buffered);
            pos += buffered;
            readFully(body, size + buffered, length - buffered);
            size += length;
            int end = awaitLine(2, 400, "A chunk's data is not followed by CRLF");
            if (contentEnd(end) != pos) {
                throw new RejectedRequest(400, "A chunk's data is not followed by CRLF");
            }
            pos = end + 1;
        }
        skipTrailers();
        return size == body.length ? body : Arrays.copyOf(body, size);
    }

    /** Trailer fields are read past and dropped: nothing here needs them, and they count against the header limit. */
    private void skipTrailers() throws IOException, RejectedRequest {
        int total = 0;
        while (true) {
            int lineEnd = awaitLine(limits.maxHeaderBytes() - total, 431, "The trailer fields are larger than "
                    + limits.maxHeaderBytes() + " bytes");
            boolean blank = contentEnd(lineEnd) == pos;
            total += lineEnd + 1 - pos;
            pos = lineEnd + 1;
            if (blank) {
                return;
            }
        }
    }

    /** A chunk size in hex; chunk extensions after {@code ;} are ignored. */
    private long parseChunkSize(int from, int end) throws RejectedRequest {
        long size = 0;
        int i = from;
        for (; i < end && Character.digit(buf[i], 16) >= 0; i++) {
            size = size * 16 + Character.digit(buf[i], 16);
            if (size > limits.maxBodyBytes()) {
                throw tooLargeBody();
            }
        }
        if (i == from) {
            throw new RejectedRequest(400, "A chunk without a hexadecimal size");
        }
        while (i < end && isWhitespace(buf[i])) {
            i++;
        }
        if (i < end && buf[i] != ';') {
            throw new RejectedRequest(400, "A chunk size followed by something other than an extension");
        }
        return size;
    }

    /** The index of the LF that ends the line at {@code pos}, reading more as needed. */
    private int awaitLine(int maxLength, int status, String tooLong) throws IOException, RejectedRequest {
        int scanned = 0;
        while (true) {
            int limit = Math.min(lim, pos + maxLength);
            for (int i = pos + scanned; i < limit; i++) {
                if (buf[i] == '\n') {
                    return i;
                }
            }
            if (lim - pos >= maxLength) {
                throw new RejectedRequest(status, tooLong);
            }
            scanned = lim - pos;
            if (fill() < 0) {
                throw new EOFException("the connection ended inside a chunked body");
            }
        }
    }

    private void readFully(byte[] target, int offset, int length) throws IOException {
        if (in.readNBytes(target, offset, length) < length) {
            throw new EOFException("the connection ended inside a request body");
        }
    }

    /** Reads more into the buffer, first moving what is left to the front or growing it up to its capacity. */
    private int fill() throws IOException {
        if (lim == buf.length) {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            } else if (buf.length < capacity) {
                buf = Arrays.copyOf(buf, Math.min(capacity, buf.length * 2));
            } else {
                throw new IllegalStateException("read buffer full; callers check the limits first");
            }
        }
        int n = in.read(buf, lim, buf.length - lim);
        if (n > 0) {
            lim += n;
        }
        return n;
    }

    private RejectedRequest tooLargeBody() {
        return new RejectedRequest(413, "The request body is larger than " + limits.maxBodyBytes() + " bytes");
    }

    /** Where a line's content ends: before its CR LF, or before a bare LF. */
    private int contentEnd(int lineEnd) {
        return lineEnd > 0 && buf[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
    }

    private int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == c) {
                return i;
            }
        }
        return -1;
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
