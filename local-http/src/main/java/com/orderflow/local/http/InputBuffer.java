package com.orderflow.local.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The bytes read off a connection and not yet consumed, for the request parser: it grows up to a fixed capacity
 * (the header limit), and what a request did not consume stays for the next one (pipelining). Indices are into
 * {@link #bytes()}, which may be replaced or shifted by {@link #fill()}.
 */
final class InputBuffer {

    private final InputStream in;
    private final int capacity;
    private byte[] buf;
    private int pos;
    private int lim;

    InputBuffer(InputStream in, int initialSize, int capacity) {
        this.in = in;
        this.capacity = Math.max(initialSize, capacity);
        this.buf = new byte[initialSize];
    }

    /** The buffer itself, valid until the next {@link #fill()}. */
    byte[] bytes() {
        return buf;
    }

    /** The first unconsumed byte. */
    int pos() {
        return pos;
    }

    /** Just past the last byte read. */
    int lim() {
        return lim;
    }

    int buffered() {
        return lim - pos;
    }

    void consumeTo(int index) {
        pos = index;
    }

    /** Starts from the front again when nothing is buffered, so a connection's requests need not shift bytes. */
    void rewindIfEmpty() {
        if (pos == lim) {
            pos = 0;
            lim = 0;
        }
    }

    /**
     * Reads more, first moving what is left to the front or growing the buffer up to its capacity.
     *
     * @return the bytes read, or -1 at the end of the stream
     */
    int fill() throws IOException {
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

    /**
     * The index of the LF that ends the line at {@link #pos()}, reading more as needed.
     *
     * @throws RejectedRequest with the given status when no line ends within {@code maxLength} bytes
     */
    int awaitLine(int maxLength, int status, String tooLong) throws IOException, RejectedRequest {
        int scanned = 0;
        while (true) {
            int end = Math.min(lim, pos + maxLength);
            for (int i = pos + scanned; i < end; i++) {
                if (buf[i] == '\n') {
                    return i;
                }
            }
            if (lim - pos >= maxLength) {
                throw new RejectedRequest(status, tooLong);
            }
            scanned = lim - pos;
            if (fill() < 0) {
                throw new EOFException("the connection ended inside a request");
            }
        }
    }

    /** Just past the first empty line at or after {@code from}, or -1; a bare LF ends a line as CRLF does. */
    int indexAfterBlankLine(int from) {
        for (int i = Math.max(from, pos + 1); i < lim; i++) {
            if (buf[i] == '\n' && (buf[i - 1] == '\n' || (buf[i - 1] == '\r' && i - 2 >= pos && buf[i - 2] == '\n'))) {
                return i + 1;
            }
        }
        return -1;
    }

    /** Consumes {@code length} bytes into {@code target}: the buffered ones, then straight from the stream. */
    void read(byte[] target, int offset, int length) throws IOException {
        int buffered = Math.min(length, lim - pos);
        System.arraycopy(buf, pos, target, offset, buffered);
        pos += buffered;
        int rest = length - buffered;
        if (in.readNBytes(target, offset + buffered, rest) < rest) {
            throw new EOFException("the connection ended inside a request body");
        }
    }

    /** Where a line's content ends: before its CR LF, or before a bare LF. */
    int contentEnd(int lineEnd) {
        return lineEnd > 0 && buf[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
    }

    int indexOf(char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
