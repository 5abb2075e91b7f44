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
     * The targets for {@code run}; last ÷ first minute only when it had more than one, and the last compares it with
     * {@code inMemory} when that ran (else it is left out).
     */
    static List<Check> checks(SustainedLoad.Result run, SustainedLoad.Result inMemory) {
        var total = run.total();
        var checks = new ArrayList<Check>();
        checks.add(check(run.ordersPerSecond() >= ORDERS_PER_SECOND, "%,.0f orders/s (≥ %.0f)", run.ordersPerSecond(), ORDERS_PER_SECOND));
        checks.add(check(total.post.millis(99) <= POST_P99_MILLIS, "POST p99 %.1f ms (≤ %.0f ms)", total.post.millis(99), POST_P99_MILLIS));
        checks.add(check(total.toFinal.millis(99) <= FINAL_P99_MILLIS, "POST→final p99 %.0f ms (≤ %.0f ms)",
                total.toFinal.millis(99), FINAL_P99_MILLIS));
        if (run.windows().size() > 1) { // of one minute, last ÷ first says nothing
            checks.add(check(run.lastOverFirst() >= LAST_OVER_FIRST, "last/first minute %.2f (≥ %.1f)", run.lastOverFirst(), LAST_OVER_FIRST));
        }
        checks.add(check(run.audit().runningAfterGrace() == 0, "%,d executions RUNNING 5 s after the end (0)",
                run.audit().runningAfterGrace()));
        if (inMemory != null) {
            double ratio = run.ordersPerSecond() / inMemory.ordersPerSecond();
            checks.add(check(ratio >= PERSISTENT_OVER_IN_MEMORY, "%s ÷ in memory %.2f (%,.0f ÷ %,.0f orders/s; ≥ %.1f)",
                    run.settings().mode(), ratio, run.ordersPerSecond(), inMemory.ordersPerSecond(), PERSISTENT_OVER_IN_MEMORY));
        }
        return checks;
    }

    /** One line: every target, how many were met, and whether the run was correct (which decides the exit code). */
    static String line(SustainedLoad.Result run, SustainedLoad.Result inMemory) {
        var checks = checks(run, inMemory);
        long met = checks.stream().filter(Check::met).count();
        return String.format(Locale.ROOT, "verdict (%s, %d clients, %d × %d s): %s → %d of %d targets met%s; %s",
                run.settings().mode(), run.settings().clients(), run.settings().windows(), run.settings().window().toSeconds(),
                String.join(" · ", checks.stream().map(Check::toString).toList()), met, checks.size(),
                inMemory == null ? " (no in-memory run to compare with)" : "", correctness(run, inMemory));
    }

    /** 5xx, other failed requests, lost and wrong orders of the runs; "correct" only when all are 0. */
    static String correctness(SustainedLoad.Result run, SustainedLoad.Result inMemory) {
        var parts = new ArrayList<String>();
        for (var r : inMemory == null ? List.of(run) : List.of(run, inMemory)) {
            var a = r.audit();
            parts.add(String.format(Locale.ROOT, "%s: %,d 5xx, %,d other failed requests, %,d lost, %,d wrong final status, %,d API disagreements",
                    r.settings().mode(), r.total().serverErrors.sum(), r.total().otherErrors.sum(), a.lost(), a.wrong(), a.apiDisagreed()));
        }
        boolean correct = run.correct() && (inMemory == null || inMemory.correct());
        return (correct ? "correct (" : "INCORRECT (") + String.join("; ", parts) + ")";
    }

    /** The run's figures in one line, for the benchmarks' table. */
    static String summary(SustainedLoad.Result run) {
        var total = run.total();
        var a = run.audit();
        return String.format(Locale.ROOT, "%d clients, %d × %d s: %,.0f orders/s, last/first minute %.2f; POST p50 %.1f ms,"
                        + " p99 %.1f ms; POST→final p50 %.0f ms, p99 %.0f ms (%,d sampled); %,d 5xx, %,d 429/503, %,d other failed"
                        + " requests; %,d executions RUNNING 5 s after the end; %,d accepted, %s, %,d lost, %,d wrong",
                run.settings().clients(), run.settings().windows(), run.settings().window().toSeconds(), run.ordersPerSecond(),
                run.lastOverFirst(), total.post.millis(50), total.post.millis(99), total.toFinal.millis(50),
                total.toFinal.millis(99), total.toFinal.count(), total.serverErrors.sum(), total.throttled.sum(),
                total.otherErrors.sum(), a.runningAfterGrace(), a.accepted(), a.statuses(), a.lost(), a.wrong());
    }

    private static Check check(boolean met, String format, Object... args) {
        return new Check(String.format(Locale.ROOT, format, args), met);
    }
}
