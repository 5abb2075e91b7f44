package com.orderflow.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Threads and connections stay bounded: the connection limit, the three timeouts, and close(). */
class ServerBoundsTest {

    /** An upper bound for waiting on something the server should do soon; not a timing assertion. */
    static final Duration PATIENCE = Duration.ofSeconds(10);

    static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    static BlockingHttpServer start(Handler handler, ServerLimits limits) throws IOException {
        return BlockingHttpServer.start(InetAddress.getLoopbackAddress(), 0, handler, limits);
    }

    static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + PATIENCE + ": " + what);
            }
            Thread.sleep(10);
        }
    }

    static long liveThreads(BlockingHttpServer server) {
        var prefix = "http-" + server.port() + "-";
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith(prefix) && thread.isAlive()).count();
    }

    @Test
    void atTheConnectionLimit_aNewConnectionGets503WithRetryAfter_andIsClosed() throws Exception {
        try (var server = start(new Echo(), ServerLimits.defaults().withMaxConnections(2).withRetryAfter(Duration.ofSeconds(3)));
             var first = new RawClient(server.port());
             var second = new RawClient(server.port())) {
            first.send(GET).read();
            second.send(GET).read(); // both are now idle keep-alive connections, each holding a thread
            awaitTrue("two connections served", () -> server.connectionCount() == 2);

            try (var third = new RawClient(server.port())) {
                var refused = third.read();

                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.header("Retry-After")).isEqualTo("3");
                assertThat(refused.header("Connection")).isEqualTo("close");
                assertThat(third.closedByServer()).isTrue();
            }
            assertThat(first.send(GET).read().status()).isEqualTo(200);

            first.close();
            awaitTrue("the closed connection released", () -> server.connectionCount() == 1);
            try (var fourth = new RawClient(server.port())) {
                assertThat(fourth.send(GET).read().status()).isEqualTo(200);
            }
        }
    }

    @Test
    void idleKeepAliveConnection_isClosedAfterTheIdleTimeout() throws Exception {
        try (var server = start(new Echo(), ServerLimits.defaults().withIdleTimeout(Duration.ofMillis(200)));
             var client = new RawClient(server.port())) {
            assertThat(client.send(GET).read().status()).isEqualTo(200);

            assertThat(client.closedByServer()).isTrue(); // well before the client's own 5 s read limit
            awaitTrue("the connection's thread released", () -> server.connectionCount() == 0);
        }
    }

    @Test
    void slowClient_tricklingAHeader_isCutOffAtTheReadTimeout_thoughEveryByteComesSoonerThanTheIdleTimeout()
            throws Exception {
        try (var server = start(new Echo(), ServerLimits.defaults()
                .withIdleTimeout(Duration.ofSeconds(30)).withReadTimeout(Duration.ofMillis(300)));
             var client = new RawClient(server.port())) {
            client.send("GET / HTTP/1.1\r\nHost: x\r\n");
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            boolean cutOff = false;
            while (!cutOff && System.nanoTime() < deadline) {
                try {
                    client.send("X");
                    Thread.sleep(50);
                } catch (IOException e) {
                    cutOff = true; // the server closed: a write now fails
                }
                cutOff |= server.connectionCount() == 0;
            }

            assertThat(cutOff).as("cut off within " + PATIENCE).isTrue();
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @Test
    void clientThatDoesNotTakeItsResponse_isCutOffAtTheWriteTimeout() throws Exception {
        var big = new byte[16 * 1024 * 1024]; // more than the socket buffers on both sides hold
        try (var server = start(request -> new Response(200, Headers.none(), big),
                ServerLimits.defaults().withWriteTimeout(Duration.ofMillis(300)));
             var client = new RawClient(server.port())) {
            client.send(GET);
            awaitTrue("a connection being served", () -> server.connectionCount() == 1);

            awaitTrue("the stalled connection released", () -> server.connectionCount() == 0);
        }
    }

    @Test
    void close_endsIdleConnectionsAtOnce_cutsOffAHandlerPastTheGrace_andLeavesNoThread() throws Exception {
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var server = start(request -> {
            if (request.rawPath().equals("/block")) {
                entered.countDown();
                try {
                    release.await(); // until interrupted by close()
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Response.text(200, "done");
        }, ServerLimits.defaults().withCloseGrace(Duration.ofMillis(200)));
        try (var idle = new RawClient(server.port()); var busy = new RawClient(server.port())) {
            idle.send(GET).read();
            busy.send("GET /block HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(liveThreads(server)).isGreaterThanOrEqualTo(4); // accept, reaper, two connections

            server.close();

            assertThat(idle.closedByServer()).isTrue();
            assertThat(busy.readToEnd()).doesNotContain("done");
            assertThat(liveThreads(server)).isZero();
            assertThat(server.connectionCount()).isZero();
        } finally {
            release.countDown();
        }
    }

    @Test
    void close_letsARequestInFlightFinishWithinTheGrace_andTellsTheClientTheConnectionCloses() throws Exception {
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        var server = start(request -> {
            entered.countDown();
            try {
                release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Response.text(200, "finished");
        }, ServerLimits.defaults().withCloseGrace(PATIENCE));
        try (var client = new RawClient(server.port())) {
            client.send(GET);
            assertThat(entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            var closing = Thread.ofPlatform().start(server::close);
            awaitTrue("the server refusing new connections", () -> {
                try (var late = new RawClient(server.port())) {
                    return late.closedByServer();
                } catch (IOException refused) {
                    return true;
                }
            });

            release.countDown();
            var response = client.read();
            closing.join(PATIENCE);

            assertThat(response.body()).isEqualTo("finished");
            assertThat(response.header("Connection")).isEqualTo("close");
            assertThat(closing.isAlive()).isFalse();
            assertThat(liveThreads(server)).isZero();
        }
    }
}
