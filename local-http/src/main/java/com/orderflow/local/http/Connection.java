package com.orderflow.local.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Locale;

/**
 * One client connection, served on its own thread: read a request, let the handler answer, send the answer in one
 * write, and again while the connection persists. Time limits are a deadline that the server's reaper enforces by
 * closing the socket, so reads and writes stay plain blocking calls (a socket timeout would make every read of an
 * idle connection a failed read, a poll and a read again).
 */
final class Connection implements Runnable {

    private static final System.Logger LOG = System.getLogger(Connection.class.getName());
    private static final long NO_DEADLINE = Long.MAX_VALUE;
    /** After a refusal, how much of what the client still sends is read and dropped, so it sees the answer. */
    private static final long LINGER_BYTES = 64L * 1024 * 1024;
    private static final Duration LINGER_TIME = Duration.ofSeconds(2);

    private final Socket socket;
    private final Handler handler;
    private final ServerLimits limits;
    private final BlockingHttpServer server;
    private volatile long deadline = NO_DEADLINE;
    /** Waiting for a request's first byte, so {@link BlockingHttpServer#close()} may close it at once. */
    private volatile boolean idle;
    /** Set before the thread starts; read by close() after the accepting thread has ended. */
    private Thread thread;

    Connection(Socket socket, Handler handler, ServerLimits limits, BlockingHttpServer server) {
        this.socket = socket;
        this.handler = handler;
        this.limits = limits;
        this.server = server;
    }

    /** Starts serving on a thread of the builder's. */
    void start(Thread.Builder threads) {
        thread = threads.unstarted(this);
        thread.start();
    }

    @Override
    public void run() {
        try (socket) {
            serve(socket.getInputStream(), socket.getOutputStream());
        } catch (IOException e) {
            // the client went away, or the reaper or close() closed the socket
            LOG.log(Level.TRACE, "connection ended", e);
        } finally {
            server.ended(this);
        }
    }

    private void serve(InputStream in, OutputStream out) throws IOException {
        var reader = new RequestReader(in, out, limits, this::requestStarted,
                (InetSocketAddress) socket.getRemoteSocketAddress());
        while (true) {
            expireIn(limits.idleTimeout());
            idle = true;
            if (server.closing()) {
                return;
            }
            Request request;
            try {
                request = reader.next();
            } catch (RejectedRequest e) {
                refuse(in, out, e);
                return;
            }
            if (request == null) {
                return;
            }
            deadline = NO_DEADLINE; // the handler takes what it takes; the client is waiting for it
            var response = answer(request);
            boolean http10 = request.protocol().equals(RequestLine.HTTP_1_0);
            boolean persist = wantsToPersist(request, http10) && !closes(response) && !server.closing();
            expireIn(limits.writeTimeout());
            out.write(ResponseEncoder.encode(response, !request.method().equals("HEAD"), !persist, persist && http10));
            if (!persist) {
                return;
            }
        }
    }

    private void requestStarted() {
        idle = false;
        expireIn(limits.readTimeout());
    }

    private Response answer(Request request) {
        try {
            var response = handler.handle(request);
            if (response == null) {
                throw new IllegalStateException("the handler answered null");
            }
            return response;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "HTTP handler failed on " + request.method() + " " + request.rawPath(), e);
            return Response.text(500, "Internal Server Error").withHeader("Connection", "close");
        }
    }

    /** Answers a request that could not be read, then lingers so that the client reads the answer, not a reset. */
    private void refuse(InputStream in, OutputStream out, RejectedRequest rejection) throws IOException {
        Response response;
        try {
            response = handler.refuse(rejection.status(), rejection.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "HTTP handler failed to shape a " + rejection.status(), e);
            response = Response.text(rejection.status(), rejection.getMessage());
        }
        expireIn(limits.writeTimeout());
        out.write(ResponseEncoder.encode(response, true, true, false));
        socket.shutdownOutput();
        // unread request bytes at close would make the kernel send a reset, which can destroy the answer in flight
        expireIn(limits.readTimeout().compareTo(LINGER_TIME) < 0 ? limits.readTimeout() : LINGER_TIME);
        var sink = new byte[8192];
        long drained = 0;
        for (int n; drained < LINGER_BYTES && (n = in.read(sink)) >= 0; ) {
            drained += n;
        }
    }

    private static boolean wantsToPersist(Request request, boolean http10) {
        var connection = request.headers().all("Connection");
        return http10 ? hasToken(connection, "keep-alive") : !hasToken(connection, "close");
    }

    private static boolean closes(Response response) {
        return hasToken(response.headers().all("Connection"), "close");
    }

    private static boolean hasToken(Iterable<String> values, String token) {
        for (var value : values) {
            for (var element : value.split(",")) {
                if (element.strip().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void expireIn(Duration timeout) {
        deadline = System.nanoTime() + timeout.toNanos();
    }

    /** The reaper's check: a connection past its deadline is closed, which ends its blocked read or write. */
    void expireIfDue(long now) {
        long due = deadline;
        if (due != NO_DEADLINE && now - due >= 0) {
            abort();
        }
    }

    /** Closes the connection now if it is between requests. */
    void closeIfIdle() {
        if (idle) {
            abort();
        }
    }

    /** Closes the socket under whatever the thread is doing; a blocked read or write then fails. */
    void abort() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(Level.TRACE, "closing a connection", e);
        }
    }

    /** Closes the socket and interrupts the thread, for a handler that is still busy when the server stops. */
    void stop() {
        abort();
        if (thread != null) {
            thread.interrupt();
        }
    }

    boolean running() {
        return thread != null && thread.isAlive();
    }

    /** Waits up to {@code within} for the connection's thread to end. */
    void awaitEnd(Duration within) throws InterruptedException {
        if (thread != null) {
            thread.join(within);
        }
    }
}
