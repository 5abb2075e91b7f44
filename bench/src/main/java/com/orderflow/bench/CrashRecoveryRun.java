package com.orderflow.bench;

import com.orderflow.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * {@code mvn -Pcrash}: kills the local stack mid-load and checks that no accepted order vanished.
 *
 * <ol>
 *   <li>starts the stack as its own JVM with persistent storage in a fresh data directory, on free loopback ports;</li>
 *   <li>drives it with concurrent clients, each POST carrying its own Idempotency-Key (payload mix includes
 *       {@code tok_flaky}, whose retries keep executions in flight), and remembers every 202;</li>
 *   <li>kills it with SIGKILL ({@code Process.destroyForcibly()}) in the middle of that load;</li>
 *   <li>starts it again on the same data directory and ports (executions that were running resume from their last
 *       recorded event);</li>
 *   <li>checks every accepted order: it must be readable with the final status its payload leads to uninterrupted,
 *       and re-sending a sample of the original requests with their keys must return the same order.</li>
 * </ol>
 * Prints the figures and exits non-zero if any accepted order vanished, stayed unfinished or ended otherwise than
 * its payload says. Loopback only; stops by
 * itself. System properties: {@code crash.clients} (default 16), {@code crash.after} (seconds of load before the
 * kill, default 8).
 */
public final class CrashRecoveryRun {

    private static final Pattern RESUMED = Pattern.compile("(\\d+) resumed where the last stop left them");
    private static final Pattern CANNOT_CONTINUE = Pattern.compile("(\\d+) could not continue");
    private static final Pattern RESTORED = Pattern.compile("(\\d+) executions? in \\d+ ms");
    private static final Pattern S3_VERSIONS = Pattern.compile("(\\d+) object versions in \\d+ ms");
    private static final Map<String, Integer> MIX = Map.of(
            "order-completed.json", 4,
            "order-payment-flaky.json", 2,
            "order-payment-declined.json", 1,
            "order-out-of-stock.json", 1,
            "order-payment-gateway-error.json", 1);
    private CrashRecoveryRun() {
    }

    public static void main(String[] args) throws Exception {
        Path root = LocalStackBenchmark.rootFrom(args);
        int clients = Integer.getInteger("crash.clients", 16);
        var loadBeforeKill = Duration.ofSeconds(Integer.getInteger("crash.after", 8));
        Path work = Files.createTempDirectory("orderflow-crash-");
        Path data = work.resolve("data");
        Path log = work.resolve("stack.log");
        var ports = StackProcess.Ports.free();

        var bodies = new ArrayList<String>();
        var expectedByBody = new java.util.HashMap<String, String>();
        for (var e : new TreeMap<>(MIX).entrySet()) {
            var body = Files.readString(root.resolve("test-payloads").resolve(e.getKey()));
            expectedByBody.put(body, PayloadMix.EXPECTED.get(e.getKey()));
            for (int i = 0; i < e.getValue(); i++) {
                bodies.add(body);
            }
        }

        // 1-3: load, then SIGKILL in the middle of it
        var accepted = new ConcurrentHashMap<String, String[]>(); // orderId -> {key, body}
        var refused = new AtomicInteger();
        var failedAfterKill = new AtomicInteger();
        var killed = new AtomicBoolean();
        long killedPid;
        var first = StackProcess.start(root, data, ports, false, log);
        System.out.println("run 1: local stack pid " + first.pid() + " on " + first.api() + ", data in " + data);
        var driver = new OrderClient(first.api());
        var sequence = new AtomicInteger();
        var stop = new AtomicBoolean();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                executor.submit(() -> {
                    while (!stop.get()) {
                        int n = sequence.incrementAndGet();
                        var key = "crash-" + n;
                        var body = bodies.get(n % bodies.size());
                        try {
                            var response = driver.post(body, key);
                            if (response.statusCode() == 202) {
                                accepted.put(Json.mapper().readTree(response.body()).path("orderId").asText(), new String[] {key, body});
                            } else {
                                refused.incrementAndGet();
                            }
                        } catch (IOException e) {
                            // once the stack is gone, requests fail: they were never promised anything
                            (killed.get() ? failedAfterKill : refused).incrementAndGet();
                            if (killed.get()) {
                                return null;
                            }
                        }
                    }
                    return null;
                });
            }
            Thread.sleep(loadBeforeKill);
            killedPid = first.pid();
            killed.set(true);
            first.kill();
            System.out.println("SIGKILL sent to pid " + killedPid + " under load (" + accepted.size() + " orders accepted so far)");
            Thread.sleep(500);
            stop.set(true);
        }
        int acceptedCount = accepted.size();

        // 4: restart on the same data
        var second = StackProcess.start(root, data, ports, false, log);
        int resumed = figure(second, RESUMED);
        int cannotContinue = figure(second, CANNOT_CONTINUE);
        int restored = figure(second, RESTORED);
        int s3Versions = figure(second, S3_VERSIONS);
        System.out.println("run 2: local stack pid " + second.pid() + " restarted on the same data; " + resumed
                + " executions resumed where the kill left them");

        // 5: every accepted order is there with a final status; the keys still name the same orders
        Map<String, Integer> statuses = new TreeMap<>();
        int changed = 0;
        int sameOrderOnReplay = 0;
        int replays = 0;
        try (second) {
            var verifier = new OrderClient(second.api());
            verifier.accepted.putAll(Map.copyOf(toBodies(accepted)));
            var finalById = verifier.finalStatuses(Duration.ofSeconds(120));
            for (var e : finalById.entrySet()) {
                statuses.merge(e.getValue(), 1, Integer::sum);
                String expected = expectedByBody.get(accepted.get(e.getKey())[1]);
                if (OrderClient.FINAL.contains(e.getValue()) && !e.getValue().equals(expected)) {
                    changed++;
                }
            }
            int sample = 0;
            for (var e : accepted.entrySet()) {
                if (sample++ >= 50) {
                    break;
                }
                var response = verifier.post(e.getValue()[1], e.getValue()[0]);
                replays++;
                if (response.statusCode() == 202
                        && Json.mapper().readTree(response.body()).path("orderId").asText().equals(e.getKey())) {
                    sameOrderOnReplay++;
                }
            }
        }

        int finals = statuses.entrySet().stream().filter(e -> OrderClient.FINAL.contains(e.getKey()))
                .mapToInt(Map.Entry::getValue).sum();
        int vanished = statuses.getOrDefault("NOT_FOUND", 0);
        int unfinished = acceptedCount - finals - vanished;
        var out = new StringBuilder();
        LoadTest.line(out, "");
        LoadTest.line(out, "orderflow crash recovery run: %d clients, SIGKILL after %d s of load, restart on the same data directory",
                clients, loadBeforeKill.toSeconds());
        LoadTest.line(out, "| figure | value |");
        LoadTest.line(out, "|---|--:|");
        LoadTest.line(out, "| orders accepted (202) before the kill | %d |", acceptedCount);
        LoadTest.line(out, "| requests refused before the kill (non-202 or I/O error) | %d |", refused.get());
        LoadTest.line(out, "| requests that failed because the stack was gone | %d |", failedAfterKill.get());
        LoadTest.line(out, "| executions found in the store at restart | %d |", restored);
        LoadTest.line(out, "| executions resumed at restart from their last recorded event | %d |", resumed);
        LoadTest.line(out, "| executions that could not continue (ended FAILED with the reason) | %d |", cannotContinue);
        LoadTest.line(out, "| object versions the local S3 opened with at restart (no repair step) | %d |", s3Versions);
        for (var e : statuses.entrySet()) {
            LoadTest.line(out, "| final status %s | %d |", e.getKey(), e.getValue());
        }
        LoadTest.line(out, "| vanished (accepted, then 404) | %d |", vanished);
        LoadTest.line(out, "| unfinished (no final status after restart) | %d |", unfinished);
        LoadTest.line(out, "| outcomes the crash changed (final status differs from the payload's documented one) | %d |", changed);
        LoadTest.line(out, "| re-sent with their Idempotency-Key -> same order | %d of %d |", sameOrderOnReplay, replays);
        LoadTest.line(out, "stack log: %s", log);
        System.out.print(out);
        boolean ok = vanished == 0 && unfinished == 0 && changed == 0 && sameOrderOnReplay == replays && acceptedCount > 0;
        if (ok) {
            LoadTest.deleteRecursively(data);
        }
        System.out.println(ok ? "OK: every accepted order survived the crash." : "FAILED: see the figures above; data kept in " + data);
        System.exit(ok ? 0 : 1);
    }

    private static int figure(StackProcess stack, Pattern pattern) {
        return stack.progress().stream().map(pattern::matcher).filter(java.util.regex.Matcher::find)
                .mapToInt(m -> Integer.parseInt(m.group(1))).sum();
    }

    private static Map<String, String> toBodies(Map<String, String[]> accepted) {
        var bodies = new TreeMap<String, String>();
        accepted.forEach((id, keyAndBody) -> bodies.put(id, keyAndBody[1]));
        return bodies;
    }
}
