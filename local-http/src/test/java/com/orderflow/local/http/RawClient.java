package com.orderflow.local.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A client on a plain socket, for what well-behaved HTTP clients never send; every read gives up after 5 s. */
public final class RawClient implements AutoCloseable {

    /** A bound on every read, so a server that never answers fails the test instead of hanging it. */
    public static final Duration READ_LIMIT = Duration.ofSeconds(5);

    /** One response as read: status, header fields (names lower-cased) and the body Content-Length framed. */
    public record RawResponse(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;

    public RawClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true); // each send goes out as written: split writes stay split, and no Nagle delay
        socket.setSoTimeout((int) READ_LIMIT.toMillis());
        in = socket.getInputStream();
    }

    public RawClient send(String text) throws IOException {
        return send(text.getBytes(ISO_8859_1));
    }

    public RawClient send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    /** Reads one response; a response to HEAD must be read with {@link #readHeadResponse()}. */
    public RawResponse read() throws IOException {
        return read(true);
    }

    public RawResponse readHeadResponse() throws IOException {
        return read(false);
    }

    private RawResponse read(boolean withBody) throws IOException {
        var statusLine = line();
        if (statusLine == null) {
            throw new IOException("the server closed the connection before a response");
        }
        var headers = new LinkedHashMap<String, String>();
        for (var line = line(); line != null && !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                    (a, b) -> a + "," + b);
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        var length = headers.get("content-length");
        var body = withBody && length != null ? new String(in.readNBytes(Integer.parseInt(length)), ISO_8859_1) : "";
        return new RawResponse(status, headers, body);
    }

    /** True when the server has closed its end: a read ends (EOF or reset) instead of waiting for the 5 s limit. */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** Whatever the server sends until it closes the connection. */
    public String readToEnd() throws IOException {
        var out = new ByteArrayOutputStream();
        try {
            in.transferTo(out);
        } catch (SocketException reset) {
            // what arrived before the reset is the answer
        }
        return out.toString(ISO_8859_1);
    }

    private String line() throws IOException {
        var line = new StringBuilder();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                return line.toString().endsWith("\r") ? line.substring(0, line.length() - 1) : line.toString();
            }
            line.append((char) c);
        }
        return line.isEmpty() ? null : line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
