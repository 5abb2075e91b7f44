package com.orderflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop HTTP clients on virtual threads against the local stack's API: each client POSTs an order from the
 * test payloads, reads one of its earlier orders back every few requests, and records every latency and every
 * unexpected answer. Also polls accepted orders to their final status afterwards.
 */
final class LoadDriver {

    static final Set<String> FINAL = Set.of("COMPLETED", "REJECTED", "FAILED");

    /** Payload files and how often each is sent (out of the weights' sum). */
    static final Map<String, Integer> MIX = Map.of(
            "order-completed.json", 7,
            "order-payment-declined.json", 1,
            "order-out-of-stock.json", 1,
            "order-invalid.json", 1);

    /** What one step of load produced; latencies in milliseconds. */
    record Step(int clients, double seconds, int posts, int gets, int errors, double[] postMillis, double[] getMillis,
                Map<String, Integer> errorKinds) {

        double requestsPerSecond() {
            return (posts + gets) / seconds;
        }

        double postsPerSecond() {
            return posts / seconds;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI api;
    private final List<String> bodies = new ArrayList<>();
    /** Every order id a POST got a 202 for, with the body it was sent with. */
    final Map<String, String> accepted = new ConcurrentHashMap<>();

    LoadDriver(Path root, URI api) throws IOException {
        this.api = api;
        MIX.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            try {
                var body = Files.readString(root.resolve("test-payloads").resolve(e.getKey()));
                for (int i = 0; i < e.getValue(); i++) {
                    bodies.add(body);
                }
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
    }

    /** Runs {@code clients} closed-loop clients for {@code duration}; requests still in flight at the end are counted. */
    Step run(int clients, Duration duration) throws InterruptedException {
        var postMillis = new ConcurrentLinkedQueue<Double>();
        var getMillis = new ConcurrentLinkedQueue<Double>();
        var errors = new AtomicInteger();
        var errorKinds = new ConcurrentHashMap<String, Integer>();
        var stop = new AtomicBoolean();
        var sequence = new AtomicLong();
        long started = System.nanoTime();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                executor.submit(() -> {
                    var mine = new ArrayList<String>();
                    while (!stop.get()) {
                        long n = sequence.incrementAndGet();
                        var body = bodies.get((int) (n % bodies.size()));
                        try {
                            if (n % 4 == 0 && !mine.isEmpty()) {
                                var id = mine.get((int) (n / 4 % mine.size()));
                                long t0 = System.nanoTime();
                                var response = http.send(HttpRequest.newBuilder(api.resolve("/orders/" + id)).GET().build(),
                                        HttpResponse.BodyHandlers.ofString());
                                getMillis.add((System.nanoTime() - t0) / 1e6);
                                if (response.statusCode() != 200) {
                                    fail(errors, errorKinds, "GET " + response.statusCode());
                                }
                            } else {
                                long t0 = System.nanoTime();
                                var response = http.send(HttpRequest.newBuilder(api.resolve("/orders"))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                                postMillis.add((System.nanoTime() - t0) / 1e6);
                                if (response.statusCode() == 202) {
                                    var id = Json.mapper().readTree(response.body()).path("orderId").asText();
                                    accepted.put(id, body);
                                    mine.add(id);
                                } else {
                                    fail(errors, errorKinds, "POST " + response.statusCode());
                                }
                            }
                        } catch (IOException e) {
                            fail(errors, errorKinds, e.getClass().getSimpleName());
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
            }
            Thread.sleep(duration);
            stop.set(true);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Step(clients, seconds, postMillis.size(), getMillis.size(), errors.get(), sorted(postMillis), sorted(getMillis),
                new TreeMap<>(errorKinds));
    }

    /** Polls every accepted order until it has a final status or {@code limit} passes; returns the count per status. */
    Map<String, Integer> awaitFinal(Duration limit) throws InterruptedException {
        var statuses = new TreeMap<String, Integer>();
        finalStatuses(limit).values().forEach(status -> statuses.merge(status, 1, Integer::sum));
        return statuses;
    }

    /** Each accepted order's final status (or what {@link #finalStatus} saw last), by order id. */
    Map<String, String> finalStatuses(Duration limit) throws InterruptedException {
        var statuses = new ConcurrentHashMap<String, String>();
        long deadline = System.nanoTime() + limit.toNanos();
        var permits = new java.util.concurrent.Semaphore(16);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var orderId : accepted.keySet()) {
                executor.submit(() -> {
                    permits.acquire();
                    try {
                        statuses.put(orderId, finalStatus(orderId, deadline));
                    } finally {
                        permits.release();
                    }
                    return null;
                });
            }
        }
        return new TreeMap<>(statuses);
    }

    /** The order's final status, or {@code NOT_FOUND} / its last non-final status when the deadline passes first. */
    String finalStatus(String orderId, long deadlineNanos) throws InterruptedException {
        String last = "UNREACHABLE";
        do {
            try {
                var response = http.send(HttpRequest.newBuilder(api.resolve("/orders/" + orderId)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 404) {
                    last = "NOT_FOUND";
                } else if (response.statusCode() == 200) {
                    JsonNode order = Json.mapper().readTree(response.body());
                    last = order.path("status").asText();
                    if (FINAL.contains(last)) {
                        return last;
                    }
                } else {
                    last = "HTTP_" + response.statusCode();
                }
            } catch (IOException e) {
                last = "UNREACHABLE";
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadlineNanos);
        return last;
    }

    HttpResponse<String> post(String body, String idempotencyKey) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(api.resolve("/orders")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void fail(AtomicInteger errors, Map<String, Integer> kinds, String kind) {
        errors.incrementAndGet();
        kinds.merge(kind, 1, Integer::sum);
    }

    private static double[] sorted(ConcurrentLinkedQueue<Double> values) {
        double[] array = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(array);
        return array;
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
