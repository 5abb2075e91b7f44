package com.orderflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The Step Functions JSON API (AWS JSON 1.0) over one keep-alive HTTP/1.1 connection of its own, for a benchmark
 * client thread: a request written in one write, a response read by its Content-Length. Small on purpose, so the
 * clients take little of the machine the measured stack shares; the JDK's HttpClient, tried first, loses a response
 * now and then to its own connection-pool race (JDK-8357639) once the server answers fast, and the AWS SDK spends
 * more CPU per call than the stack does. One instance per thread.
 */
final class JsonOverHttp implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 60_000;

    private final URI endpoint;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    JsonOverHttp(URI endpoint) {
        this.endpoint = endpoint;
    }

    /** Calls {@code AWSStepFunctions.<operation>}; anything but a 200 fails with the answer's body. */
    JsonNode call(String operation, ObjectNode body) {
        byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
        String head = "POST / HTTP/1.1\r\nHost: " + endpoint.getHost() + ":" + endpoint.getPort()
                + "\r\nContent-Type: application/x-amz-json-1.0\r\nX-Amz-Target: AWSStepFunctions." + operation
                + "\r\nContent-Length: " + payload.length + "\r\n\r\n";
        try {
            if (socket == null) {
                connect();
            }
            var request = new ByteArrayOutputStream(head.length() + payload.length);
            request.write(head.getBytes(StandardCharsets.US_ASCII));
            request.write(payload);
            out.write(request.toByteArray());
            out.flush();
            return response(operation);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(operation + " failed: " + e.getMessage(), e);
        }
    }

    private void connect() throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), CONNECT_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        out = socket.getOutputStream();
    }

    private JsonNode response(String operation) throws IOException {
        String status = line();
        int length = -1;
        boolean closes = false;
        for (String header; !(header = line()).isEmpty(); ) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(lower.substring("content-length:".length()).trim());
            } else if (lower.startsWith("connection:") && lower.contains("close")) {
                closes = true;
            }
        }
        if (length < 0) {
            throw new IOException("a response without Content-Length: " + status);
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new IOException("the connection ended inside a response");
        }
        if (closes) {
            close();
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (!status.startsWith("HTTP/1.1 200 ")) {
            throw new IllegalStateException(operation + " answered " + status + ": " + text);
        }
        return Json.mapper().readTree(text);
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
