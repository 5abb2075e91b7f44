package com.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The offered-rate clients against a loopback server that answers 202 at once, but for one POST it holds up or refuses. */
class LoadClientsTest {

    private static final Path ROOT = LocalStackBenchmark.rootFrom(new String[0]);
    private static final long STALL_MILLIS = 1_000;

    private HttpServer server;
    private final AtomicInteger posts = new AtomicInteger();
    /** The POST (counted from 1) the server answers 503 with Retry-After: 1; 0 for none. */
    private volatile int refused;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/orders", exchange -> {
            exchange.getRequestBody().readAllBytes();
            int n = posts.incrementAndGet();
            if (n == refused) {
                exchange.getResponseHeaders().add("Retry-After", "1");
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            if (n == 20 && refused == 0) {
                sleep(STALL_MILLIS);
            }
            byte[] body = ("{\"orderId\":\"o-" + n + "\",\"executionArn\":\"arn:aws:states:us-east-1:000000000000:execution:m:" + n + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(202, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void offeredRate_sendsTheScheduleAndChargesAStallToThePostsItDelayed() throws Exception {
        // given 2 clients offering 100 POSTs a second for 2 s: each client's POSTs are 20 ms apart
        var orders = new ConcurrentLinkedQueue<OrderAudit.Accepted>();
        var window = new LoadWindow();
        URI api = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        try (var sampler = new FinalSampler(URI.create("http://127.0.0.1:9"))) {
            var clients = new LoadClients(api, new PayloadMix(ROOT, PayloadMix.LOAD), sampler, Integer.MAX_VALUE, orders);
            long first = System.nanoTime();

            // when
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                clients.startOffered(pool, 2, 100, first, first + 2_000_000_000L, scheduled -> window);
            }
        }

        // then every scheduled POST was sent once, and the stalled client's next POSTs count the time they waited
        assertThat(window.accepted.sum()).isEqualTo(200);
        assertThat(orders).hasSize(200);
        long[] latencies = window.post.sorted();
        assertThat(latencies[latencies.length - 1] / 1_000_000).isGreaterThanOrEqualTo(STALL_MILLIS);
        // the held-up POST's client sends its next ~50 POSTs late, by 980 ms, 960 ms, …: some 24 of them by ≥ 500 ms;
        // timed from when they were actually sent they would be fast, and only the held-up one would be that slow
        long delayedBehindTheStall = Arrays.stream(latencies).filter(nanos -> nanos >= 500_000_000L).count();
        assertThat(delayedBehindTheStall)
                .as("POSTs at least 500 ms late: the held-up one and those its client sent late after it")
                .isGreaterThanOrEqualTo(15);
    }

    @Test
    void offeredRate_afterRetryAfter_sendsNoneOfThatClientsPostsUntilItPassed_andCountsThemRefused() throws Exception {
        // given 2 clients offering 100 POSTs a second for 2 s, and the 10th POST answered 503 with Retry-After: 1
        refused = 10;
        var window = new LoadWindow();
        URI api = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        try (var sampler = new FinalSampler(URI.create("http://127.0.0.1:9"))) {
            var clients = new LoadClients(api, new PayloadMix(ROOT, PayloadMix.LOAD), sampler, Integer.MAX_VALUE,
                    new ConcurrentLinkedQueue<>());
            long first = System.nanoTime();

            // when
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                clients.startOffered(pool, 2, 100, first, first + 2_000_000_000L, scheduled -> window);
            }
        }

        // then the refused client held off for a second after the 503 (some 50 of its POSTs, 20 ms apart), none sent,
        // each counted as refused; every other scheduled POST was sent and accepted
        long notSent = window.errorKinds().getOrDefault("POST not sent (within Retry-After)", 0);
        assertThat(notSent).isBetween(45L, 80L); // more when the 503 itself came late
        assertThat(window.throttled.sum()).isEqualTo(notSent + 1);
        assertThat(window.accepted.sum() + window.throttled.sum()).isEqualTo(200);
        assertThat(posts.get()).isEqualTo(200 - notSent);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
