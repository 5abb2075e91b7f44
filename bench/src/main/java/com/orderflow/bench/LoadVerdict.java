package com.orderflow.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The sustained-load targets of issue 17 on this 2-core machine, checked against a run (and its in-memory peer). */
final class LoadVerdict {

    static final double ORDERS_PER_SECOND = 500;
    static final double POST_P99_MILLIS = 20;
    static final double FINAL_P99_MILLIS = 250;
    static final double LAST_OVER_FIRST = 0.9;
    static final double PERSISTENT_OVER_IN_MEMORY = 0.8;

    /** One target: the measured figure against it, and whether it was met. */
    record Check(String figure, boolean met) {
        @Override
        public String toString() {
            return figure + (met ? " met" : " MISSED");
        }
    }

    private LoadVerdict() {
    }

    /**
     * The targets for {@code run}: the latency targets over its windows (at the offered rate, where they are specified);
     * the throughput target both there and in the closed-loop window, where it says what the stack finishes; last ÷
     * first window only when there were more than one; and persistent ÷ in memory when {@code inMemory} ran (else it is
     * left out), comparing what each finishes.
     */
    static List<Check> checks(SustainedLoad.Result run, SustainedLoad.Result inMemory) {
        var total = run.total();
        var checks = new ArrayList<Check>();
        var settings = run.settings();
        if (!run.windows().isEmpty()) {
            checks.add(check(run.ordersPerSecond() >= ORDERS_PER_SECOND, "%,.0f orders/s %s (≥ %.0f)", run.ordersPerSecond(),
                    settings.offeredRate() ? String.format(Locale.ROOT, "accepted of %,.0f offered", settings.rate()) : "closed loop",
                    ORDERS_PER_SECOND));
            checks.add(check(total.post.millis(99) <= POST_P99_MILLIS, "POST p99 %.1f ms (≤ %.0f ms)", total.post.millis(99), POST_P99_MILLIS));
            checks.add(check(total.toFinal.millis(99) <= FINAL_P99_MILLIS, "POST→final p99 %.0f ms (≤ %.0f ms)",
                    total.toFinal.millis(99), FINAL_P99_MILLIS));
        }
        if (run.saturation() != null) {
            checks.add(check(run.saturationPerSecond() >= ORDERS_PER_SECOND, "closed loop %,.0f orders/s (≥ %.0f)",
                    run.saturationPerSecond(), ORDERS_PER_SECOND));
        }
        if (run.windows().size() > 1) { // of one minute, last ÷ first says nothing
            checks.add(check(run.lastOverFirst() >= LAST_OVER_FIRST, "last/first minute %.2f (≥ %.1f)", run.lastOverFirst(), LAST_OVER_FIRST));
        }
        checks.add(check(run.audit().runningAfterGrace() == 0, "%,d executions RUNNING 5 s after the end (0)",
                run.audit().runningAfterGrace()));
        if (inMemory != null) {
            double ours = capacity(run);
            double theirs = capacity(inMemory);
            double ratio = ours / theirs;
            checks.add(check(ratio >= PERSISTENT_OVER_IN_MEMORY, "%s ÷ in memory %.2f (%s %,.0f ÷ %,.0f orders/s; ≥ %.1f)",
                    settings.mode(), ratio, run.saturation() != null && inMemory.saturation() != null ? "closed loop" : "windows",
                    ours, theirs, PERSISTENT_OVER_IN_MEMORY));
        }
        return checks;
    }

    /** What a run shows the stack finishes: its closed-loop window when it had one, else its windows. */
    private static double capacity(SustainedLoad.Result run) {
        return run.saturation() != null ? run.saturationPerSecond() : run.ordersPerSecond();
    }

    /** One line: every target, how many were met, and whether the run was correct (which decides the exit code). */
    static String line(SustainedLoad.Result run, SustainedLoad.Result inMemory) {
        var checks = checks(run, inMemory);
        long met = checks.stream().filter(Check::met).count();
        return String.format(Locale.ROOT, "verdict (%s, %s, %d × %d s%s): %s → %d of %d targets met%s; %s",
                run.settings().mode(), run.settings().load(), run.settings().windows(), run.settings().window().toSeconds(),
                run.saturation() == null ? "" : ", then " + run.settings().saturation().toSeconds() + " s closed loop",
                String.join(" · ", checks.stream().map(Check::toString).toList()), met, checks.size(),
                inMemory == null ? " (no in-memory run to compare with)" : "", correctness(run, inMemory));
    }

    /** 5xx, other failed requests, lost and wrong orders of the runs; "correct" only when all are 0. */
    static String correctness(SustainedLoad.Result run, SustainedLoad.Result inMemory) {
        var parts = new ArrayList<String>();
        for (var r : inMemory == null ? List.of(run) : List.of(run, inMemory)) {
            var a = r.audit();
            var saturation = r.saturation() == null ? new LoadWindow() : r.saturation();
            parts.add(String.format(Locale.ROOT, "%s: %,d 5xx, %,d other failed requests, %,d lost, %,d wrong final status, %,d API disagreements",
                    r.settings().mode(), r.total().serverErrors.sum() + saturation.serverErrors.sum(),
                    r.total().otherErrors.sum() + saturation.otherErrors.sum(), a.lost(), a.wrong(), a.apiDisagreed()));
        }
        boolean correct = run.correct() && (inMemory == null || inMemory.correct());
        return (correct ? "correct (" : "INCORRECT (") + String.join("; ", parts) + ")";
    }

    /** The run's figures in one line, for the benchmarks' table. */
    static String summary(SustainedLoad.Result run) {
        var total = run.total();
        var a = run.audit();
        var windows = run.windows().isEmpty() ? "" : String.format(Locale.ROOT, "%d × %d s: %,.0f orders/s, last/first minute"
                        + " %.2f; POST p50 %.1f ms, p99 %.1f ms; POST→final p50 %.0f ms, p99 %.0f ms (%,d sampled); ",
                run.settings().windows(), run.settings().window().toSeconds(), run.ordersPerSecond(), run.lastOverFirst(),
                total.post.millis(50), total.post.millis(99), total.toFinal.millis(50), total.toFinal.millis(99),
                total.toFinal.count());
        var saturation = run.saturation() == null ? "" : String.format(Locale.ROOT, "closed loop %d s: %,.0f orders/s, POST p99"
                + " %.1f ms, POST→final p99 %.0f ms, %,d 429/503; ", run.settings().saturation().toSeconds(),
                run.saturationPerSecond(), run.saturation().post.millis(99), run.saturation().toFinal.millis(99),
                run.saturation().throttled.sum());
        return String.format(Locale.ROOT, "%s: %s%s%,d 5xx, %,d 429/503, %,d other failed requests in the windows; %,d executions"
                        + " RUNNING 5 s after the end; %,d accepted, %s, %,d lost, %,d wrong",
                run.settings().load(), windows, saturation, total.serverErrors.sum(), total.throttled.sum(),
                total.otherErrors.sum(), a.runningAfterGrace(), a.accepted(), a.statuses(), a.lost(), a.wrong());
    }

    private static Check check(boolean met, String format, Object... args) {
        return new Check(String.format(Locale.ROOT, format, args), met);
    }
}
