package com.orderflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * {@code mvn -Pload}: a bounded load test of the local stack over loopback. Starts the stack as its own JVM
 * (persistent storage, as {@code mvn -Plocal} runs it), then steps through client counts, each a closed loop of
 * POST /orders (payload mix: 70% completing, 10% each declined, out of stock, invalid) and GET /orders/{id} for
 * a fixed time, and prints throughput and latency percentiles per step. Afterwards every accepted order must
 * reach a final status. Exits non-zero if any request failed or any order was lost, so a reported rate is
 * always an error-free one.
 *
 * <p>System properties: {@code load.clients} (comma-separated steps, default {@code 4,16,64}),
 * {@code load.seconds} (per step, default 20), {@code load.warmup} (seconds, default 5),
 * {@code load.inMemory} (default false).
 */
public final class LoadTest {

    private LoadTest() {
    }

    public static void main(String[] args) throws Exception {
        Path root = LocalStackBenchmark.rootFrom(args);
        int[] steps = Arrays.stream(System.getProperty("load.clients", "4,16,64").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        var stepDuration = Duration.ofSeconds(Integer.getInteger("load.seconds", 20));
        var warmup = Duration.ofSeconds(Integer.getInteger("load.warmup", 5));
        boolean inMemory = Boolean.getBoolean("load.inMemory");
        Path data = Files.createTempDirectory("orderflow-load-");
        Path log = data.resolveSibling(data.getFileName() + ".log");
        String loadBefore = loadAverage();

        var results = new ArrayList<LoadDriver.Step>();
        Map<String, Integer> finals;
        int accepted;
        try (var stack = StackProcess.start(root, data.resolve("data"), StackProcess.Ports.free(), inMemory, log)) {
            System.out.println("local stack pid " + stack.pid() + " on " + stack.api() + (inMemory ? " (in memory)" : " (persistent: " + data + ")"));
            var driver = new LoadDriver(root, stack.api());
            System.out.println("warm-up: " + warmup.toSeconds() + " s with " + steps[0] + " clients");
            driver.run(steps[0], warmup);
            for (int clients : steps) {
                System.out.printf("step: %d clients for %d s%n", clients, stepDuration.toSeconds());
                results.add(driver.run(clients, stepDuration));
            }
            System.out.println("waiting for every accepted order to reach its final status ...");
            finals = driver.awaitFinal(Duration.ofSeconds(180));
            accepted = driver.accepted.size();
        }

        var out = new StringBuilder();
        line(out, "");
        line(out, "orderflow load test: local stack (%s) over loopback, JDK %s, %d cores, load average before %s, after %s",
                inMemory ? "in memory" : "persistent", System.getProperty("java.vm.version"),
                Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
        line(out, "closed-loop clients on virtual threads; 3 POST /orders : 1 GET /orders/{id}; %d s per step after %d s warm-up",
                stepDuration.toSeconds(), warmup.toSeconds());
        line(out, "");
        line(out, "| clients | requests/s | POSTs/s | POST p50 | POST p90 | POST p99 | POST max | GET p50 | GET p99 | errors |");
        line(out, "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        for (var s : results) {
            line(out, "| %d | %.0f | %.0f | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %d%s |", s.clients(),
                    s.requestsPerSecond(), s.postsPerSecond(),
                    LoadDriver.percentile(s.postMillis(), 50), LoadDriver.percentile(s.postMillis(), 90),
                    LoadDriver.percentile(s.postMillis(), 99), LoadDriver.percentile(s.postMillis(), 100),
                    LoadDriver.percentile(s.getMillis(), 50), LoadDriver.percentile(s.getMillis(), 99),
                    s.errors(), s.errorKinds().isEmpty() ? "" : " " + s.errorKinds());
        }
        line(out, "");
        line(out, "orders accepted (incl. warm-up): %d; final statuses: %s", accepted, finals);
        int lost = accepted - finals.entrySet().stream().filter(e -> LoadDriver.FINAL.contains(e.getKey()))
                .mapToInt(Map.Entry::getValue).sum();
        int errors = results.stream().mapToInt(LoadDriver.Step::errors).sum();
        var best = results.stream().filter(s -> s.errors() == 0)
                .max((a, b) -> Double.compare(a.requestsPerSecond(), b.requestsPerSecond()));
        best.ifPresent(s -> line(out, "best error-free step: %d clients, %.0f requests/s (%.0f orders/s), POST p50 %.1f ms, p99 %.1f ms",
                s.clients(), s.requestsPerSecond(), s.postsPerSecond(), LoadDriver.percentile(s.postMillis(), 50),
                LoadDriver.percentile(s.postMillis(), 99)));
        line(out, "errors: %d; orders without a final status: %d; stack log: %s", errors, lost, log);
        System.out.print(out);
        deleteRecursively(data);
        if (errors > 0 || lost > 0) {
            System.exit(1);
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
        }
    }

    static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }

    static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
