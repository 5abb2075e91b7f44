package com.orderflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import com.orderflow.local.LocalStack;
import com.orderflow.local.LocalStackConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Throughput and latency of the whole local stack over loopback: starts it on free ports, POSTs
 * orders from concurrent clients (bounded by a count and a time limit), waits for every order to
 * reach its final status, and reports orders accepted per second, POST latency and the time from
 * POST to final status (the final S3 version's {@code updatedAt}).
 */
public final class LocalStackBenchmark {

    /**
     * How to drive the stack.
     *
     * @param orders      how many POSTs at most
     * @param clients     concurrent HTTP clients
     * @param timeLimit   no POST starts after this
     * @param persistent  the event store and S3 on disk (the default of {@code mvn -Plocal}) rather than in memory
     */
    public record Settings(int orders, int clients, Duration timeLimit, boolean persistent) {
        /**
         * 2,000 orders from 16 clients in memory; 500 when persistent, because LocalS3's persistence
         * rewrites the bucket's whole metadata file under a lock on every write, so each PutObject costs
         * more as the bucket grows and a long run measures that file rather than the stack.
         */
        public static Settings standard(boolean persistent) {
            return new Settings(persistent ? 500 : 2_000, 16, Duration.ofSeconds(60), persistent);
        }
    }

    /** The measured figures; latencies in milliseconds. */
    public record Figures(
            String mode,
            int accepted,
            int refused,
            double seconds,
            double acceptedPerSecond,
            double postP50Millis,
            double postP99Millis,
            double finalP50Millis,
            double finalP99Millis,
            Map<String, Integer> finalStatuses) {

        public String describe() {
            return "%s: %d orders accepted in %.1f s = %.0f orders/s (%d refused); POST p50 %.1f ms, p99 %.1f ms;"
                    .formatted(mode, accepted, seconds, acceptedPerSecond, refused, postP50Millis, postP99Millis)
                    + " POST -> final status p50 %.0f ms, p99 %.0f ms; final statuses %s"
                    .formatted(finalP50Millis, finalP99Millis, finalStatuses);
        }
    }

    private record Posted(String orderId, Instant sentAt, long latencyNanos) {
    }

    private LocalStackBenchmark() {
    }

    /** Starts a fresh stack under {@code root}, drives it, stops it and returns the figures. */
    public static Figures run(Path root, Settings settings) throws IOException, InterruptedException {
        Path data = Files.createTempDirectory("orderflow-bench-");
        var config = LocalStackConfig.resolve(List.of("--root=" + root), Map.of(), Map.of(), root)
                .withPorts(0, 0, 0)
                .withStorage(data, !settings.persistent());
        String body = Files.readString(root.resolve("test-payloads/order-completed.json"));
        try (var stack = LocalStack.start(config, line -> { }, new PrintStream(OutputStream.nullOutputStream()));
             var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            URI orders = URI.create(stack.apiEndpoint() + "/orders");
            // warm-up: class loading and JIT, not measured
            var warmUp = new ConcurrentLinkedQueue<Posted>();
            drive(http, orders, body, Math.min(100, settings.orders()), settings.clients(), Duration.ofSeconds(20),
                    warmUp, new AtomicInteger());
            awaitAllFinal(http, orders, warmUp.stream().map(Posted::orderId).toList());

            var posted = new ConcurrentLinkedQueue<Posted>();
            var refused = new AtomicInteger();
            long started = System.nanoTime();
            drive(http, orders, body, settings.orders(), settings.clients(), settings.timeLimit(), posted, refused);
            double seconds = (System.nanoTime() - started) / 1e9;

            Map<String, JsonNode> finals = awaitAllFinal(http, orders, posted.stream().map(Posted::orderId).toList());
            var statuses = new TreeMap<String, Integer>();
            var toFinal = new ArrayList<Double>();
            for (Posted p : posted) {
                JsonNode order = finals.get(p.orderId());
                statuses.merge(order.path("status").asText(), 1, Integer::sum);
                Instant finalAt = Instant.parse(order.path("updatedAt").asText());
                toFinal.add(Duration.between(p.sentAt(), finalAt).toNanos() / 1e6);
            }
            double[] postMillis = posted.stream().mapToDouble(p -> p.latencyNanos() / 1e6).toArray();
            double[] finalMillis = toFinal.stream().mapToDouble(Double::doubleValue).toArray();
            return new Figures(settings.persistent() ? "persistent (event store + LocalS3 on disk)" : "in memory",
                    posted.size(), refused.get(), seconds, posted.size() / seconds,
                    percentile(postMillis, 50), percentile(postMillis, 99),
                    percentile(finalMillis, 50), percentile(finalMillis, 99), statuses);
        } finally {
            deleteRecursively(data);
        }
    }

    private static void drive(HttpClient http, URI orders, String body, int count, int clients, Duration limit,
                              ConcurrentLinkedQueue<Posted> posted, AtomicInteger refused) throws InterruptedException {
        var next = new AtomicInteger();
        long deadline = System.nanoTime() + limit.toNanos();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    while (next.getAndIncrement() < count && System.nanoTime() < deadline) {
                        var request = HttpRequest.newBuilder(orders)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        Instant sentAt = Instant.now();
                        long t0 = System.nanoTime();
                        try {
                            var response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            long latency = System.nanoTime() - t0;
                            if (response.statusCode() == 202) {
                                String id = Json.mapper().readTree(response.body()).path("orderId").asText();
                                posted.add(new Posted(id, sentAt, latency));
                            } else {
                                refused.incrementAndGet();
                            }
                        } catch (IOException e) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
    }

    /**
     * Pages through GET /orders (summaries carry status and updatedAt) until every order of the
     * measured run is final; the warm-up's orders are in the listing too and are final already.
     */
    private static Map<String, JsonNode> awaitAllFinal(HttpClient http, URI orders, List<String> awaited)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (true) {
            var summaries = new HashMap<String, JsonNode>();
            boolean allFinal = true;
            String next = null;
            do {
                URI page = URI.create(orders + "?limit=100" + (next == null ? ""
                        : "&nextToken=" + URLEncoder.encode(next, StandardCharsets.UTF_8)));
                var response = http.send(HttpRequest.newBuilder(page).GET().build(), HttpResponse.BodyHandlers.ofString());
                JsonNode body = Json.mapper().readTree(response.body());
                for (JsonNode order : body.path("orders")) {
                    summaries.put(order.path("orderId").asText(), order);
                    allFinal &= !order.path("status").asText().equals("RECEIVED");
                }
                next = body.path("nextToken").isTextual() ? body.path("nextToken").asText() : null;
            } while (next != null);
            // an accepted order is listed only once its workflow stored RECEIVED, so wait for every awaited id
            if (allFinal && summaries.keySet().containsAll(awaited)) {
                return summaries;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("orders still not final after 180 s");
            }
            Thread.sleep(500);
        }
    }

    private static double percentile(double[] values, int p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.clamp(index, 0, sorted.length - 1)];
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Runs the benchmark in both storage modes; {@code --root=<repo>} when not started from the repository. */
    public static void main(String[] args) throws Exception {
        Path root = rootFrom(args);
        for (boolean persistent : new boolean[] {false, true}) {
            System.out.println(run(root, Settings.standard(persistent)).describe());
        }
    }

    static Path rootFrom(String[] args) {
        for (String arg : args) {
            if (arg.startsWith("--root=")) {
                return Path.of(arg.substring("--root=".length())).toAbsolutePath();
            }
        }
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(LocalStackConfig.DEFINITION_FILE))) {
                return dir;
            }
        }
        return here;
    }
}
