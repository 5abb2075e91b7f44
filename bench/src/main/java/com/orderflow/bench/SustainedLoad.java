package com.orderflow.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * One sustained-load run: the local stack as its own JVM, {@link LoadClients} POSTing the test-payload mix for a
 * number of windows (a minute each by default) after a warm-up, at an offered rate (open model) or as a closed loop,
 * one table row printed per window; then, if asked, a closed-loop window that measures what the stack can finish;
 * then the {@link OrderAudit} of every accepted order.
 */
final class SustainedLoad {

    /** How long after the load stops every accepted order must be final. */
    static final Duration GRACE = Duration.ofSeconds(5);
    /** How long the audit waits for the stragglers beyond that before it calls them lost. */
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(180);

    /**
     * How to load the stack. {@code rate}: orders a second offered by all clients together in the {@code windows}
     * (an open model: each POST has a scheduled send time and its latency counts from it); 0 runs those windows as a
     * closed loop instead. {@code saturation}: a closed-loop window after them (each client POSTs as soon as it has its
     * answer), which measures what the stack can finish; zero for none. {@code sampleEvery}: one accepted order in that
     * many is timed to its final status.
     */
    record Settings(int clients, int windows, Duration window, Duration warmup, int sampleEvery, boolean inMemory,
                    double rate, Duration saturation) {

        /** What {@code mvn -Pload} offers by default: the 500 orders/s at which the latency targets are specified. */
        static final double DEFAULT_RATE = 500;

        /**
         * 16 clients offering {@link #DEFAULT_RATE} orders/s in minute rows after 60 s of warm-up (the rate ramping up), then a closed-loop
         * minute, 1 in 10 orders timed to final: what {@code mvn -Pload} runs.
         */
        static Settings standard(int minutes, boolean inMemory) {
            return new Settings(16, minutes, Duration.ofSeconds(60), Duration.ofSeconds(60), 10, inMemory, DEFAULT_RATE,
                    Duration.ofSeconds(60));
        }

        /**
         * The persistent ÷ in-memory peer: the same clients on an in-memory stack, for the closed-loop window only
         * when there is one (what each stack can finish), else for {@code windows} windows as this run.
         */
        Settings inMemoryPeer(int windows) {
            return saturation.isZero() ? new Settings(clients, windows, window, warmup, sampleEvery, true, rate, saturation)
                    : new Settings(clients, 0, window, warmup, sampleEvery, true, rate, saturation);
        }

        String mode() {
            return inMemory ? "in memory" : "persistent";
        }

        boolean offeredRate() {
            return rate > 0 && windows > 0;
        }

        String load() {
            return offeredRate()
                    ? String.format(Locale.ROOT, "%d clients offering %,.0f orders/s together (open model)", clients, rate)
                    : clients + " closed-loop clients";
        }
    }

    /** A finished run: its windows, their sum, the audit, and what the stack's log had to say. */
    record Result(Settings settings, List<LoadWindow> windows, LoadWindow total, LoadWindow saturation,
                  OrderAudit.Findings audit, List<String> logProblems, long logProblemCount, Path log) {

        /** Orders accepted a second over the windows (NaN without any). */
        double ordersPerSecond() {
            return windows.isEmpty() ? Double.NaN : total.accepted.sum() / (settings.window().toNanos() / 1e9 * windows.size());
        }

        /** Orders accepted a second in the closed-loop window: what the stack finishes (NaN when it did not run). */
        double saturationPerSecond() {
            return saturation == null ? Double.NaN : saturation.accepted.sum() / (settings.saturation().toNanos() / 1e9);
        }

        double ordersPerSecond(LoadWindow window) {
            return window.accepted.sum() / (settings.window().toNanos() / 1e9);
        }

        double lastOverFirst() {
            return windows.isEmpty() ? Double.NaN : ordersPerSecond(windows.getLast()) / ordersPerSecond(windows.getFirst());
        }

        /** No 5xx, no other failed request, no lost or wrong order, and some orders at all. */
        boolean correct() {
            var all = new LoadWindow();
            total.addTo(all);
            if (saturation != null) {
                saturation.addTo(all);
            }
            return all.serverErrors.sum() == 0 && all.otherErrors.sum() == 0 && audit.correct() && audit.accepted() > 0;
        }
    }

    private final Settings settings;
    private final PayloadMix mix;
    private final PrintStream out;
    private final List<LoadWindow> windows = new ArrayList<>();
    private final LoadWindow warmup = new LoadWindow();
    private final LoadWindow saturation = new LoadWindow();
    private final Queue<OrderAudit.Accepted> orders = new ConcurrentLinkedQueue<>();
    private long start;
    private StackProcess stack;
    /** The stack's CPU time when the windows began, at the row printed last, and at the last window's row. */
    private SfnApiBenchmark.CpuTime windowsCpu;
    private SfnApiBenchmark.CpuTime rowCpu;
    private SfnApiBenchmark.CpuTime windowRowsCpu;

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
        boolean saturates = !settings.saturation().isZero();
        OrderAudit.Findings audit;
        // the stack on the JVM flags mvn -Plocal runs it with: this run is about what a user's stack holds
        try (var stack = StackProcess.start(root, work.resolve("data"), StackProcess.Ports.free(), settings.inMemory(), log,
                StackProcess.localStackJvm(root));
             var sampler = new FinalSampler(stack.sfn());
             var sfn = new JsonOverHttp(stack.sfn())) {
            this.stack = stack;
            header(stack, work, log);
            var clients = new LoadClients(stack.api(), mix, sampler, settings.sampleEvery(), orders);
            long launched = System.nanoTime();
            start = launched + settings.warmup().toNanos();
            long windowNanos = settings.window().toNanos();
            long windowsEnd = start + windows.size() * windowNanos;
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                if (settings.offeredRate()) {
                    clients.startOffered(pool, settings.clients(), settings.rate(), launched, settings.warmup(), windowsEnd, this::windowAt);
                } else {
                    clients.startClosedLoop(pool, settings.clients(), windowsEnd, this::windowAt);
                }
                sleepUntil(start);
                windowsCpu = SfnApiBenchmark.CpuTime.of(stack.pid());
                rowCpu = windowsCpu;
                for (int m = 0; m < windows.size() - 1; m++) {
                    sleepUntil(start + (m + 1) * windowNanos + GRACE.toNanos());
                    row(Integer.toString(m + 1), windows.get(m), settings.window(), sampler.pendingAges(windows.get(m)));
                }
            }
            if (saturates) {
                if (windows.isEmpty()) {
                    windowsCpu = SfnApiBenchmark.CpuTime.of(stack.pid());
                    rowCpu = windowsCpu;
                }
                try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    clients.startClosedLoop(pool, settings.clients(), System.nanoTime() + settings.saturation().toNanos(),
                            answered -> saturation);
                    if (!windows.isEmpty()) {
                        sleepUntil(windowsEnd + GRACE.toNanos());
                        row(Integer.toString(windows.size()), windows.getLast(), settings.window(), sampler.pendingAges(windows.getLast()));
                    }
                }
            }
            long stopped = System.nanoTime();
            sleepUntil(stopped + GRACE.toNanos());
            var arn = orders.isEmpty() ? null : OrderAudit.stateMachineOf(orders.peek().executionArn());
            long runningAfterGrace = arn == null ? 0 : OrderAudit.running(sfn, arn);
            if (!saturates && !windows.isEmpty()) {
                row(Integer.toString(windows.size()), windows.getLast(), settings.window(), sampler.pendingAges(windows.getLast()));
            }
            if (saturates) {
                row("closed loop", saturation, settings.saturation(), sampler.pendingAges(saturation));
            }
            double untilNoneRunning = runningAfterGrace == 0 ? GRACE.toSeconds()
                    : OrderAudit.awaitNoneRunning(sfn, arn, stopped, DRAIN_LIMIT, out);
            sampler.drain(System.nanoTime() + GRACE.toNanos());
            windows.forEach(w -> w.addTo(total));
            if (!windows.isEmpty()) {
                row("all", total, settings.window().multipliedBy(windows.size()), windows.stream().flatMapToLong(w -> Arrays.stream(sampler.pendingAges(w))).toArray());
            }
            out.printf(Locale.ROOT, "warm-up: %,d orders accepted (in the audit, not in the rows); POST→final samples not taken"
                    + " (too many pending) %,d, DescribeExecution calls %,d (%,d failed)%n", warmup.accepted.sum(), sampler.skipped(),
                    sampler.calls(), sampler.failures());
            var errors = total.errorKinds();
            errors.putAll(saturation.errorKinds().entrySet().stream().collect(Collectors.toMap(
                    e -> "closed loop " + e.getKey(), Map.Entry::getValue)));
            if (!errors.isEmpty()) {
                out.println("failed or refused requests by kind: " + errors);
            }
            out.printf(Locale.ROOT, "5 s after the load stopped: %,d executions RUNNING%s%n", runningAfterGrace, runningAfterGrace == 0 ? ""
                    : Double.isNaN(untilNoneRunning) ? "; some still were after " + DRAIN_LIMIT.toSeconds() + " s"
                    : String.format(Locale.ROOT, "; none after %.1f s", untilNoneRunning));
            audit = OrderAudit.check(stack.sfn(), stack.api(), List.copyOf(orders), runningAfterGrace, untilNoneRunning);
            if (audit.unfinished() > 0) {
                // an execution that never ends is a defect: what each of the stack's threads (virtual ones too) waits on
                Path dump = log.resolveSibling(log.getFileName() + ".threads.json");
                out.println("executions that never ended, where they stopped (last events first): " + audit.whereUnfinishedStopped());
                out.println(stack.dumpThreads(dump));
            }
        }
        var problems = StackLog.problems(log);
        var result = new Result(settings, List.copyOf(windows), total, saturates ? saturation : null, audit, problems.first(),
                problems.count(), log);
        describe(result);
        LoadTest.deleteRecursively(work);
        return result;
    }

    private void header(StackProcess stack, Path work, Path log) {
        out.printf(Locale.ROOT, "%nsustained load, %s stack (pid %d, %s): %s POSTing %s; %d × %d s after %d s of warm-up%s%n",
                settings.mode(), stack.pid(), settings.inMemory() ? "no data on disk" : "data in " + work, settings.load(),
                "the test-payloads mix (70 % COMPLETED, 30 % REJECTED)", settings.windows(), settings.window().toSeconds(),
                settings.warmup().toSeconds(), settings.saturation().isZero() ? ""
                        : String.format(Locale.ROOT, ", then %d s of %d closed-loop clients (what the stack finishes)",
                        settings.saturation().toSeconds(), settings.clients()));
        out.printf(Locale.ROOT, "%s; POST→final: 1 in %d accepted orders at random, DescribeExecution stopDate − the POST's %s"
                + " (%d threads, ≤ %d calls/s); stack log %s%n",
                settings.offeredRate() ? "latencies count from each POST's scheduled send time (an answer late enough to"
                        + " delay the next POSTs is charged for them)" : "latencies count from each POST's send",
                settings.sampleEvery(), settings.offeredRate() ? "scheduled send time" : "send",
                FinalSampler.THREADS, FinalSampler.THREADS * FinalSampler.CALLS_PER_SECOND_PER_THREAD, log);
        out.println("| " + (settings.window().toSeconds() == 60 ? "minute" : settings.window().toSeconds() + " s window")
                + " | orders/s | POST p50 | POST p99 | POST→final p50 | POST→final p99 | sampled | 5xx | 429/503 | other errors"
                + " | stack CPU ms/order | stack fds/threads | load avg |");
        out.println("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
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

    private LoadWindow windowAt(long nanos) {
        if (nanos < start || windows.isEmpty()) {
            return warmup;
        }
        long index = (nanos - start) / settings.window().toNanos();
        return windows.get((int) Math.min(windows.size() - 1, index)); // answers after the last window's end count in it
    }

    /**
     * One table row. POST→final percentiles count the samples still running at their age so far: then they are lower
     * bounds, marked ≥, rather than figures of the fast orders only. The stack's CPU per order is its CPU time since
     * the row before (for "all", since the first window began) over the orders the row accepted: what tells two runs'
     * code apart when the machine's noise moves their throughput (a row ends {@link #GRACE} after its window).
     */
    private void row(String label, LoadWindow w, Duration length, long[] pendingAges) {
        boolean overall = label.equals("all");
        var cpuNow = overall ? windowRowsCpu : SfnApiBenchmark.CpuTime.of(stack.pid());
        var since = overall ? windowsCpu : rowCpu;
        long accepted = w.accepted.sum();
        String cpuPerOrder = since == null || cpuNow == null || accepted == 0 ? "?"
                : String.format(Locale.ROOT, "%.2f", cpuNow.minus(since).totalNanos() / 1e6 / accepted);
        if (!overall) {
            rowCpu = cpuNow;
            if (label.chars().allMatch(Character::isDigit)) {
                windowRowsCpu = cpuNow;
            }
        }
        double seconds = length.toNanos() / 1e9;
        long[] ended = w.toFinal.sorted();
        long[] all = Arrays.copyOf(ended, ended.length + pendingAges.length);
        System.arraycopy(pendingAges, 0, all, ended.length, pendingAges.length);
        Arrays.sort(all);
        String bound = pendingAges.length > 0 ? "≥ " : "";
        out.printf(Locale.ROOT, "| %s | %,.0f | %.1f ms | %.1f ms | %s%.0f ms | %s%.0f ms | %,d%s | %,d | %,d | %,d | %s | %s | %s |%n", label,
                w.accepted.sum() / seconds, w.post.millis(50), w.post.millis(99), bound, Latencies.percentileMillis(all, 50),
                bound, Latencies.percentileMillis(all, 99), w.sampled.sum(),
                pendingAges.length > 0 ? String.format(Locale.ROOT, " (%,d still running)", pendingAges.length) : "",
                w.serverErrors.sum(), w.throttled.sum(), w.otherErrors.sum(), cpuPerOrder, stack.openFilesAndThreads(),
                LoadTest.loadAverage());
        out.flush();
    }

    static void sleepUntil(long nanos) throws InterruptedException {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait));
        }
    }
}
