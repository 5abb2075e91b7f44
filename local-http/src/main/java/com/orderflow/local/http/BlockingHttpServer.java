package com.orderflow.local.http;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP/1.1 server (RFC 9112): a blocking accept loop and one platform thread per connection, at most
 * {@link ServerLimits#maxConnections()} of them, each reading a request, calling the {@link Handler} and writing
 * the response in one write, then the next request on the same connection.
 *
 * <p>Why platform threads: the local stack's clients are few keep-alive connections that are busy, and a platform
 * thread blocked in a socket read wakes straight from the kernel, where a virtual thread's read is a hand-off from
 * the poller to a carrier thread each time. Measured on the Step Functions benchmark (4 keep-alive clients,
 * StartExecution; runs interleaved on a shared 2-core machine), platform threads gave 3,480-3,650 executions per
 * CPU-second of the stack, virtual threads 3,090-3,440, the difference mostly system time. The bound on
 * connections is what keeps their number (and memory: header buffer plus one body each) finite. Why not the JDK's {@code com.sun.net.httpserver}: its dispatcher thread
 * hands every exchange to an executor, and per-request header maps, streams and separate header and body writes
 * were a large share of the local stack's CPU under load.
 *
 * <p>At the connection limit a new connection is answered {@code 503} with {@code Retry-After} and closed. An idle
 * keep-alive connection is closed after {@link ServerLimits#idleTimeout()}, a request that does not arrive whole
 * within {@link ServerLimits#readTimeout()} of its first byte is cut off, and so is a response the client does not
 * take within {@link ServerLimits#writeTimeout()}: one reaper thread closes connections past their deadline.
 */
public final class BlockingHttpServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(BlockingHttpServer.class.getName());
    /** How long close() waits for a thread that it has already closed the connection of. */
    private static final Duration JOIN_AFTER_ABORT = Duration.ofSeconds(2);
    private static final Duration MIN_REAPER_TICK = Duration.ofMillis(10);
    private static final Duration MAX_REAPER_TICK = Duration.ofSeconds(1);

    private final ServerSocket listener;
    private final Handler handler;
    private final ServerLimits limits;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread acceptor;
    private final Thread reaper;
    private final long retryAfterSeconds;

    private BlockingHttpServer(ServerSocket listener, Handler handler, ServerLimits limits) {
        this.listener = listener;
        this.handler = handler;
        this.limits = limits;
        this.retryAfterSeconds = Math.max(1, (limits.retryAfter().toMillis() + 999) / 1000);
        String name = "http-" + listener.getLocalPort();
        var connectionThreads = Thread.ofPlatform().name(name + "-connection-", 1).daemon(true);
        // not a daemon: a running server keeps its JVM alive, as the JDK's server does
        this.acceptor = Thread.ofPlatform().name(name + "-accept").unstarted(() -> acceptLoop(connectionThreads));
        this.reaper = Thread.ofPlatform().name(name + "-reaper").daemon(true).unstarted(this::reapLoop);
    }

    /**
     * Binds and starts serving.
     *
     * @param bindAddress where to listen (the local stack binds loopback unless told otherwise)
     * @param port        0 picks a free port ({@link #port()} tells which)
     * @throws java.net.BindException when the port is taken
     */
    public static BlockingHttpServer start(InetAddress bindAddress, int port, Handler handler, ServerLimits limits)
            throws IOException {
        var listener = new ServerSocket();
        try {
            listener.bind(new InetSocketAddress(bindAddress, port), Math.max(50, limits.maxConnections()));
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        var server = new BlockingHttpServer(listener, handler, limits);
        server.acceptor.start();
        server.reaper.start();
        return server;
    }

    /**
     * How a client on this machine names a server bound to {@code bound}: {@code localhost} for the loopback address
     * and for every interface (which includes loopback), else the address itself (IPv6 in brackets, for a URL).
     */
    public static String clientHost(InetAddress bound) {
        if (bound.isAnyLocalAddress() || bound.equals(InetAddress.getLoopbackAddress())) {
            return "localhost";
        }
        String literal = bound.getHostAddress();
        return literal.contains(":") ? "[" + literal + "]" : literal;
    }

    /** The bound address and port. */
    public InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** How many connections are being served right now. */
    public int connectionCount() {
        return active.get();
    }

    private void acceptLoop(Thread.Builder connectionThreads) {
        while (!closed.get()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed.get()) {
                    // e.g. out of file descriptors: the next accept may succeed once connections have ended
                    LOG.log(Level.WARNING, "accept failed on port " + port() + ": " + e.getMessage());
                    pause();
                }
                continue;
            }
            if (active.get() >= limits.maxConnections()) {
                refuseBusy(socket);
                continue;
            }
            active.incrementAndGet(); // only this thread adds, so the count never passes the limit
            var connection = new Connection(socket, handler, limits, this);
            connections.add(connection);
            try {
                socket.setTcpNoDelay(true); // a response leaves in one write; nothing to gain from waiting
                connection.start(connectionThreads);
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                // OutOfMemoryError: "unable to create native thread" is recoverable once connections end
                LOG.log(Level.WARNING, "cannot serve a connection on port " + port() + ": " + e);
                connection.abort();
                ended(connection);
            }
        }
    }

    /** Answers 503 on the accepting thread: the write fits in an empty socket buffer, so it does not block. */
    private void refuseBusy(Socket socket) {
        try (socket) {
            socket.getOutputStream().write(ResponseEncoder.encode(busyResponse(), true, true, false));
            socket.shutdownOutput();
            // what the client already sent is dropped, so that closing does not reset the connection
            var in = socket.getInputStream();
            for (int n = in.available(); n > 0; n = in.available()) {
                in.skipNBytes(n);
            }
        } catch (IOException e) {
            LOG.log(Level.TRACE, "refusing a connection", e);
        }
    }

    /** The handler's 503 at the limit, with {@code Retry-After} whatever it says; the plain one if it fails. */
    private Response busyResponse() {
        try {
            var response = handler.busy(retryAfterSeconds);
            if (response != null && response.status() == 503) {
                return response.headers().contains("Retry-After") ? response
                        : response.withHeader("Retry-After", Long.toString(retryAfterSeconds));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "HTTP handler failed to shape a 503", e);
        }
        return Response.text(503, "The server is at its connection limit")
                .withHeader("Retry-After", Long.toString(retryAfterSeconds));
    }

    private void reapLoop() {
        var shortest = limits.idleTimeout();
        for (var timeout : new Duration[] {limits.readTimeout(), limits.writeTimeout()}) {
            shortest = timeout.compareTo(shortest) < 0 ? timeout : shortest;
        }
        var tick = shortest.dividedBy(4);
        tick = tick.compareTo(MIN_REAPER_TICK) < 0 ? MIN_REAPER_TICK : tick.compareTo(MAX_REAPER_TICK) > 0 ? MAX_REAPER_TICK : tick;
        while (!closed.get()) {
            try {
                Thread.sleep(tick);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            connections.forEach(connection -> connection.expireIfDue(now));
        }
    }

    /** Whether {@link #close()} has begun: a connection ends after the response it is working on. */
    boolean closing() {
        return closed.get();
    }

    void ended(Connection connection) {
        if (connections.remove(connection)) {
            active.decrementAndGet();
        }
    }

    /**
     * Stops accepting, closes idle connections at once, lets requests in flight finish for up to
     * {@link ServerLimits#closeGrace()}, then closes the rest and waits (briefly) for every thread to end.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            listener.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the listening socket", e);
        }
        boolean interrupted = false;
        try {
            acceptor.join(JOIN_AFTER_ABORT);
            reaper.interrupt();
            connections.forEach(Connection::closeIfIdle);
            var serving = new ArrayList<>(connections);
            interrupted = !joinAll(serving, limits.closeGrace());
            serving.removeIf(connection -> !connection.running());
            serving.forEach(Connection::stop);
            interrupted |= !joinAll(serving, JOIN_AFTER_ABORT);
            serving.removeIf(connection -> !connection.running());
            if (!serving.isEmpty()) {
                LOG.log(Level.WARNING, serving.size() + " handler thread(s) on port " + port()
                        + " ignored the interrupt and still run after close");
            }
            reaper.join(JOIN_AFTER_ABORT);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        connections.forEach(Connection::abort); // whatever is left after an interrupted wait
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the connections' threads until the time is up; false if interrupted. */
    private static boolean joinAll(Iterable<Connection> serving, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        try {
            for (var connection : serving) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    connection.awaitEnd(Duration.ofNanos(left));
                }
            }
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static void pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
