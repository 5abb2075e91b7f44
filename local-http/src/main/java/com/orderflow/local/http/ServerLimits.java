package com.orderflow.local.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds that keep a {@link BlockingHttpServer}'s threads and memory finite whatever its clients do: at most
 * {@code maxConnections} threads, each holding at most {@code maxHeaderBytes} of buffer plus one body of at most
 * {@code maxBodyBytes}.
 *
 * @param maxConnections connections served at once (one thread each); one more is answered 503 and closed
 * @param maxHeaderBytes request line and header fields together (and a chunked body's trailers); more is 431
 * @param maxBodyBytes   a request body, after chunked framing is undone; more is 413
 * @param idleTimeout    how long a keep-alive connection may wait for its next request before it is closed
 * @param readTimeout    how long a request may take to arrive whole, from its first byte; a slower client is
 *                       cut off, so that a trickle of bytes cannot hold a connection forever
 * @param writeTimeout   how long a response may take to be taken by the client
 * @param retryAfter     what a 503 at the connection limit tells the client to wait ({@code Retry-After})
 * @param closeGrace     how long {@link BlockingHttpServer#close()} lets requests in flight finish before it
 *                       closes their connections
 */
public record ServerLimits(int maxConnections, int maxHeaderBytes, int maxBodyBytes, Duration idleTimeout,
                           Duration readTimeout, Duration writeTimeout, Duration retryAfter, Duration closeGrace) {

    public ServerLimits {
        positive(maxConnections, "maxConnections");
        positive(maxHeaderBytes, "maxHeaderBytes");
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must not be negative: " + maxBodyBytes);
        }
        positive(idleTimeout, "idleTimeout");
        positive(readTimeout, "readTimeout");
        positive(writeTimeout, "writeTimeout");
        if (retryAfter.isNegative() || closeGrace.isNegative()) {
            throw new IllegalArgumentException("retryAfter and closeGrace must not be negative");
        }
    }

    /**
     * 64 connections, 16 KiB of header, 1 MiB of body, 30 s idle, 30 s to read a request or write a response,
     * {@code Retry-After: 1}, 2 s of grace at close.
     */
    public static ServerLimits defaults() {
        return new ServerLimits(64, 16 * 1024, 1024 * 1024, Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    public ServerLimits withMaxConnections(int value) {
        return new ServerLimits(value, maxHeaderBytes, maxBodyBytes, idleTimeout, readTimeout, writeTimeout,
                retryAfter, closeGrace);
    }

    public ServerLimits withMaxHeaderBytes(int value) {
        return new ServerLimits(maxConnections, value, maxBodyBytes, idleTimeout, readTimeout, writeTimeout,
                retryAfter, closeGrace);
    }

    public ServerLimits withMaxBodyBytes(int value) {
        return new ServerLimits(maxConnections, maxHeaderBytes, value, idleTimeout, readTimeout, writeTimeout,
                retryAfter, closeGrace);
    }

    public ServerLimits withIdleTimeout(Duration value) {
        return new ServerLimits(maxConnections, maxHeaderBytes, maxBodyBytes, value, readTimeout, writeTimeout,
                retryAfter, closeGrace);
    }

    public ServerLimits withReadTimeout(Duration value) {
        return new ServerLimits(maxConnections, maxHeaderBytes, maxBodyBytes, idleTimeout, value, writeTimeout,
                retryAfter, closeGrace);
    }

    public ServerLimits withWriteTimeout(Duration value) {
        return new ServerLimits(maxConnections, maxHeaderBytes, maxBodyBytes, idleTimeout, readTimeout, value,
                retryAfter, closeGrace);
    }

    public ServerLimits withRetryAfter(Duration value) {
        return new ServerLimits(maxConnections, maxHeaderBytes, maxBodyBytes, idleTimeout, readTimeout, writeTimeout,
                value, closeGrace);
    }

    public ServerLimits withCloseGrace(Duration value) {
        return new ServerLimits(maxConnections, maxHeaderBytes, maxBodyBytes, idleTimeout, readTimeout, writeTimeout,
                retryAfter, value);
    }

    private static void positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    private static void positive(Duration value, String name) {
        if (Objects.requireNonNull(value, name).isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
