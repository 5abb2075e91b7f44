package com.orderflow.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the clients saw in one window of the run (a minute by default; the warm-up is one too): answers by kind,
 * POST latencies of the 202s, and the POST→final times of the window's sampled orders, filled in as they end.
 */
final class LoadWindow {

    final LongAdder accepted = new LongAdder();
    /** 5xx answers, except a 503 with Retry-After (that is backpressure). */
    final LongAdder serverErrors = new LongAdder();
    /** 429, and 503 with Retry-After: the clients waited as told and went on. */
    final LongAdder throttled = new LongAdder();
    /** Anything else that is not a 202: a 4xx, an I/O error, an unreadable answer. */
    final LongAdder otherErrors = new LongAdder();
    final Latencies post = new Latencies();
    final Latencies toFinal = new Latencies();
    final LongAdder sampled = new LongAdder();
    private final Map<String, Integer> errorKinds = new ConcurrentHashMap<>();

    void error(LongAdder counter, String kind) {
        counter.increment();
        errorKinds.merge(kind, 1, Integer::sum);
    }

    Map<String, Integer> errorKinds() {
        return new TreeMap<>(errorKinds);
    }

    /** This window's figures added to {@code total}'s (for the whole run's row). */
    void addTo(LoadWindow total) {
        total.accepted.add(accepted.sum());
        total.serverErrors.add(serverErrors.sum());
        total.throttled.add(throttled.sum());
        total.otherErrors.add(otherErrors.sum());
        total.sampled.add(sampled.sum());
        total.post.addAll(post);
        total.toFinal.addAll(toFinal);
        errorKinds.forEach((k, v) -> total.errorKinds.merge(k, v, Integer::sum));
    }
}
