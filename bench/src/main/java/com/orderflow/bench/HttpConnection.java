package com.orderflow.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection of a benchmark client thread: a request in one write, a response read by its
 * Content-Length (or chunks). Small on purpose, so the clients take little of the machine the measured stack shares;
 * the JDK's HttpClient loses a response now and then to its own pool race (JDK-8357639) once the server answers fast.
 * One instance per thread; reconnects on the next request after the server closed or an I/O error.
 */
final class HttpConnection implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 60_000;

    /** A response: its status, its {@code Retry-After} header (or null) and its body as text. */
    record Reply(int status, String retryAfter, String body) {
    }

    private final URI endpoint;
    private Socket socket;
    private PushbackInputStream in;
    private OutputStream out;

    HttpConnection(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** Sends {@code method path} with the given extra header lines ({@code "Name: value"}) and body (or null). */
    Reply send(String method, String path, String body, String... headers) throws IOException {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        var head = new StringBuilder(128).append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ")
                .append(endpoint.getHost()).append(':').append(endpoint.getPort()).append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(payload.length).append("\r\n");
        }
        head.append("\r\n");
        var request = new ByteArrayOutputStream(head.length() + payload.length);
        request.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        request.write(payload);
        boolean reused = socket != null;
        try {
            return exchange(request.toByteArray());
        } catch (ClosedWhileIdle e) {
            // the server closed the kept-alive connection while it sat idle (its idle timeout): a fresh one, once,
            // as HTTP clients do; the request was never read, so sending it again does it once
            close();
            if (!reused) {
                throw e;
            }
            try {
                return exchange(request.toByteArray());
            } catch (IOException | RuntimeException again) {
                close();
                throw again;
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private Reply exchange(byte[] request) throws IOException {
        if (socket == null) {
            connect();
        }
        int first;
        try {
            out.write(request);
            out.flush();
            first = in.read();
        } catch (java.net.SocketException e) {
            throw new ClosedWhileIdle(); // a reset or broken pipe of a connection the server had closed
        }
        if (first < 0) {
            throw new ClosedWhileIdle();
        }
        in.unread(first);
        return response();
    }

    /** The connection ended before a byte of the response. */
    private static final class ClosedWhileIdle extends IOException {
        ClosedWhileIdle() {
            super("the connection ended before the response began");
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), CONNECT_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        in = new PushbackInputStream(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
        out = socket.getOutputStream();
    }

    private Reply response() throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.x status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = -1;
        boolean chunked = false;
        boolean closes = false;
        String retryAfter = null;
        for (String header; !(header = line()).isEmpty(); ) {
            int colon = header.indexOf(':');
            String name = colon < 0 ? header : header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = colon < 0 ? "" : header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Integer.parseInt(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closes = value.toLowerCase(Locale.ROOT).contains("close");
                case "retry-after" -> retryAfter = value;
                default -> { }
            }
        }
        byte[] body = chunked ? chunks() : length >= 0 ? exactly(length) : new byte[0];
        if (closes) {
            close();
        }
        return new Reply(status, retryAfter, new String(body, StandardCharsets.UTF_8));
    }

    private byte[] chunks() throws IOException {
        var body = new ByteArrayOutputStream();
        for (int size; (size = Integer.parseInt(line().split(";", 2)[0].trim(), 16)) > 0; ) {
            body.write(exactly(size));
            line();
        }
        while (!line().isEmpty()) {
            // trailer fields: none the clients need
        }
        return body.toByteArray();
    }

    private byte[] exactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new IOException("the connection ended inside a response");
        }
        return bytes;
    }

    private String line() throws IOException {
        var line = new StringBuilder(64);
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("the connection ended inside a response");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing to keep
            }
            socket = null;
        }
    }
}
