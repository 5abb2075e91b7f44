package com.orderflow.bench;

import com.orderflow.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One sustained-load run: the local stack as its own JVM, closed-loop clients POSTing the test-payload mix for a
 * number of windows (a minute each by default) after a warm-up, one table row printed per window, then the
 * {@link OrderAudit}. A client that gets 429, or 503 with {@code Retry-After}, waits as long as told and goes on.
 */
final class SustainedLoad {

    /** How long after the load stops every accepted order must be final. */
    static final Duration GRACE = Duration.ofSeconds(5);
    /** How long the audit waits for the stragglers beyond that before it calls them lost. */
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(180);
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

    /** How to load the stack. {@code sampleEvery}: one accepted order in that many is timed to its final status. */
    record Settings(int clients, int windows, Duration window, Duration warmup, int sampleEvery, boolean inMemory) {
        /** 16 clients, minute rows after 10 s of warm-up, 1 in 10 orders timed to final: what {@code mvn -Pload} runs. */
        static Settings standard(int minutes, boolean inMemory) {
            return new Settings(16, minutes, Duration.ofSeconds(60), Duration.ofSeconds(10), 10, inMemory);
        }

        String mode() {
            return inMemory ? "in memory" : "persistent";
        }
    }

    /** A finished run: its windows, their sum, the audit, and what the stack's log had to say. */
    record Result(Settings settings, List<LoadWindow> windows, LoadWindow total, OrderAudit.Findings audit,
                  List<String> logProblems, long logProblemCount, Path log) {

        double ordersPerSecond() {
            return total.accepted.sum() / (settings.window().toNanos() / 1e9 * windows.size());
        }

        double ordersPerSecond(LoadWindow window) {
            return window.accepted.sum() / (settings.window().toNanos() / 1e9);
        }

        double lastOverFirst() {
            return ordersPerSecond(windows.getLast()) / ordersPerSecond(windows.getFirst());
        }

        /** No 5xx, no other failed request, no lost or wrong order, and some orders at all. */
        boolean correct() {
            return total.serverErrors.sum() == 0 && total.otherErrors.sum() == 0 && audit.correct() && total.accepted.sum() > 0;
        }
    }

    private final Settings settings;
    private final PayloadMix mix;
    private final PrintStream out;
    private final List<LoadWindow> windows = new ArrayList<>();
    private final LoadWindow warmup = new LoadWindow();
    private final Queue<OrderAudit.Accepted> orders = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong sequence = new AtomicLong();
    private long start;
    private StackProcess stack;

    private SustainedLoad(Path root, Settings settings, PrintStream out) {
        this.settings = settings;
        this.mix = new PayloadMix(root, PayloadMix.LOAD);
        this.out = out;
        for (int i = 0; i < settings.windows(); i++) {
            windows.add(new LoadWindow());
        }
    }

    /** Starts a fresh stack, loads it, audits it, stops it; the rows go to {@code out} as they are measured. */
    static Result run(Path root, Settings settings, PrintStream out) throws IOException, InterruptedException {
        return new SustainedLoad(root, settings, out).run(root);
    }

    private Result run(Path root) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("orderflow-load-");
        Path log = work.resolveSibling(work.getFileName() + ".log");
        var total = new LoadWindow();
        OrderAudit.Findings audit;
        // the stack on the JVM's own defaults, as mvn -Plocal runs it: this run is about what a user's stack holds
        try (var stack = StackProcess.start(root, work.resolve("data"), StackProcess.Ports.free(), settings.inMemory(), log,
                List.of());
             var sampler = new FinalSampler(stack.sfn());
             var sfn = new JsonOverHttp(stack.sfn())) {
            out.printf(Locale.ROOT, "%nsustained load, %s stack (pid %d, %s): %d closed-loop clients POSTing %s; %d × %d s after %d s of warm-up%n",
                    settings.mode(), stack.pid(), settings.inMemory() ? "no data on disk" : "data in " + work, settings.clients(),
                    "the test-payloads mix (70 % COMPLETED, 30 % REJECTED)", settings.windows(), settings.window().toSeconds(),
                    settings.warmup().toSeconds());
            out.printf(Locale.ROOT, "POST→final: 1 in %d accepted orders at random, DescribeExecution stopDate − the 202's arrival"
                    + " (%d threads, ≤ %d calls/s); POST percentiles over the 202s; stack log %s%n", settings.sampleEvery(),
                    FinalSampler.THREADS, FinalSampler.THREADS * FinalSampler.CALLS_PER_SECOND_PER_THREAD, log);
            out.println("| " + (settings.window().toSeconds() == 60 ? "minute" : settings.window().toSeconds() + " s window") + " | orders/s | POST p50 | POST p99 | POST→final p50 | POST→final p99 | sampled | 5xx | 429/503 | other errors | stack fds/threads | load avg |");
            out.println("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            this.stack = stack;
            start = System.nanoTime() + settings.warmup().toNanos();
            long windowNanos = settings.window().toNanos();
            try (var clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int c = 0; c < settings.clients(); c++) {
                    clients.submit(() -> {
                        drive(stack.api(), sampler);
                        return null;
                    });
                }
                for (int m = 0; m < windows.size() - 1; m++) {
                    sleepUntil(start + (m + 1) * windowNanos + GRACE.toNanos());
                    row(Integer.toString(m + 1), windows.get(m), 1, sampler.pendingAges(windows.get(m)));
                }
                sleepUntil(start + windows.size() * windowNanos);
                stop.set(true);
            }
            long stopped = System.nanoTime();
            sleepUntil(stopped + GRACE.toNanos());
            var arn = orders.isEmpty() ? null : OrderAudit.stateMachineOf(orders.peek().executionArn());
            long runningAfterGrace = arn == null ? 0 : OrderAudit.running(sfn, arn);
            row(Integer.toString(windows.size()), windows.getLast(), 1, sampler.pendingAges(windows.getLast()));
            double untilNoneRunning = runningAfterGrace == 0 ? GRACE.toSeconds()
                    : OrderAudit.awaitNoneRunning(sfn, arn, stopped, DRAIN_LIMIT, out);
            sampler.drain(System.nanoTime() + GRACE.toNanos());
            windows.forEach(w -> w.addTo(total));
            row("all", total, windows.size(), windows.stream().flatMapToLong(w -> Arrays.stream(sampler.pendingAges(w))).toArray());
            out.printf(Locale.ROOT, "warm-up: %,d orders accepted (in the audit, not in the rows); POST→final samples not taken"
                    + " (too many pending) %,d, DescribeExecution calls %,d (%,d failed)%n", warmup.accepted.sum(), sampler.skipped(),
                    sampler.calls(), sampler.failures());
            var errors = total.errorKinds();
            if (!errors.isEmpty()) {
                out.println("failed requests by kind: " + errors);
            }
            out.printf(Locale.ROOT, "5 s after the load stopped: %,d executions RUNNING%s%n", runningAfterGrace, runningAfterGrace == 0 ? ""
                    : Double.isNaN(untilNoneRunning) ? "; some still were after " + DRAIN_LIMIT.toSeconds() + " s"
                    : String.format(Locale.ROOT, "; none after %.1f s", untilNoneRunning));
            audit = OrderAudit.check(stack.sfn(), stack.api(), List.copyOf(orders), runningAfterGrace, untilNoneRunning);
        }
        var problems = StackLog.problems(log);
        var result = new Result(settings, List.copyOf(windows), total, audit, problems.first(), problems.count(), log);
        describe(result);
        LoadTest.deleteRecursively(work);
        return result;
    }

    private void describe(Result r) {
        var a = r.audit();
        out.printf(Locale.ROOT, "accepted %,d orders; by final status %s; lost %,d (not found %,d, never final %,d); wrong final status %,d%s%n",
                a.accepted(), a.statuses(), a.lost(), a.notFound(), a.unfinished(), a.wrong(),
                a.wrongKinds().isEmpty() ? "" : " " + a.wrongKinds());
        if (!a.failureCauses().isEmpty()) {
            out.printf(Locale.ROOT, "what failed, in the histories of %,d wrong orders: %s%n",
                    a.failureCauses().values().stream().mapToInt(Integer::intValue).sum(), a.failureCauses());
        }
        out.printf(Locale.ROOT, "GET /orders/{id} of %,d sampled orders: %,d disagree with their execution%s%n", a.apiChecked(),
                a.apiDisagreed(), a.disagreements().isEmpty() ? "" : " " + a.disagreements());
        out.printf(Locale.ROOT, "stack log: %,d lines of warnings or errors%s%n", r.logProblemCount(),
                r.logProblems().isEmpty() ? "" : "; first: " + String.join(" | ", r.logProblems()));
    }

    private void drive(URI api, FinalSampler sampler) throws InterruptedException {
        try (var http = new HttpConnection(api)) {
            while (!stop.get()) {
                var payload = mix.pick(sequence.getAndIncrement());
                long sent = System.nanoTime();
                HttpConnection.Reply reply;
                try {
                    reply = http.send("POST", "/orders", payload.body(), "Content-Type: application/json");
                } catch (IOException | RuntimeException e) {
                    var window = windowAt(System.nanoTime());
                    window.error(window.otherErrors, "POST " + e.getClass().getSimpleName());
                    Thread.sleep(100);
                    continue;
                }
                long answered = System.nanoTime();
                var window = windowAt(answered);
                int status = reply.status();
                if (status == 202) {
                    accepted(reply, payload, answered - sent, window, sampler);
                } else if (status == 429 || (status == 503 && reply.retryAfter() != null)) {
                    window.error(window.throttled, "POST " + status);
                    Thread.sleep(retryAfter(reply.retryAfter()));
                } else {
                    window.error(status >= 500 ? window.serverErrors : window.otherErrors, "POST " + status);
                }
            }
        }
    }

    private void accepted(HttpConnection.Reply reply, PayloadMix.Payload payload, long latencyNanos, LoadWindow window,
                          FinalSampler sampler) {
        var acceptedAt = Instant.now();
        try {
            var body = Json.mapper().readTree(reply.body());
            var orderId = body.path("orderId").asText();
            var executionArn = body.path("executionArn").asText();
            window.accepted.increment();
            window.post.add(latencyNanos);
            boolean sampled = ThreadLocalRandom.current().nextInt(settings.sampleEvery()) == 0
                    && sampler.offer(executionArn, acceptedAt, window);
            orders.add(new OrderAudit.Accepted(orderId, executionArn, payload, sampled));
        } catch (IOException e) {
            window.error(window.otherErrors, "POST 202 unreadable");
        }
    }

    private LoadWindow windowAt(long nanos) {
        if (nanos < start) {
            return warmup;
        }
        long index = (nanos - start) / settings.window().toNanos();
        return windows.get((int) Math.min(windows.size() - 1, index)); // answers after the last window's end count in it
    }

    /**
     * One table row. POST→final percentiles count the samples still running at their age so far: then they are lower
     * bounds, marked ≥, rather than figures of the fast orders only.
     */
    private void row(String label, LoadWindow w, int windowCount, long[] pendingAges) {
        double seconds = settings.window().toNanos() / 1e9 * windowCount;
        long[] ended = w.toFinal.sorted();
        long[] all = Arrays.copyOf(ended, ended.length + pendingAges.length);
        System.arraycopy(pendingAges, 0, all, ended.length, pendingAges.length);
        Arrays.sort(all);
        String bound = pendingAges.length > 0 ? "≥ " : "";
        out.printf(Locale.ROOT, "| %s | %,.0f | %.1f ms | %.1f ms | %s%.0f ms | %s%.0f ms | %,d%s | %,d | %,d | %,d | %s | %s |%n", label,
                w.accepted.sum() / seconds, w.post.millis(50), w.post.millis(99), bound, Latencies.percentileMillis(all, 50),
                bound, Latencies.percentileMillis(all, 99), w.sampled.sum(),
                pendingAges.length > 0 ? String.format(Locale.ROOT, " (%,d still running)", pendingAges.length) : "",
                w.serverErrors.sum(), w.throttled.sum(), w.otherErrors.sum(), stack.openFilesAndThreads(), LoadTest.loadAverage());
        out.flush();
    }

    /** Retry-After in seconds or as an HTTP date (RFC 9110 10.2.3); a second when unreadable; at most 30 s. */
    static long retryAfter(String value) {
        Duration wait;
        try {
            wait = Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException | NullPointerException e) {
            try {
                wait = Duration.between(Instant.now(), ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (RuntimeException notADate) {
                wait = Duration.ofSeconds(1);
            }
        }
        return Math.clamp(wait.toMillis(), 0, MAX_RETRY_AFTER.toMillis());
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }
}
