package com.orderflow.bench;

import java.util.Arrays;

/** Latencies in nanoseconds, added from any thread; percentiles in milliseconds over what was added so far. */
final class Latencies {

    private long[] values = new long[1024];
    private int size;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    synchronized void addAll(Latencies other) {
        long[] theirs = other.sorted();
        for (long v : theirs) {
            add(v);
        }
    }

    synchronized int count() {
        return size;
    }

    /** The {@code p}-th percentile (nearest rank) in milliseconds; NaN when empty. */
    double millis(double p) {
        return percentileMillis(sorted(), p);
    }

    static double percentileMillis(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.clamp(index, 0, sorted.length - 1)] / 1e6;
    }

    synchronized long[] sorted() {
        long[] copy = Arrays.copyOf(values, size);
        Arrays.sort(copy);
        return copy;
    }
}
