package com.orderflow.bench;

import com.orderflow.json.Json;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * POST→final times of a sample of the accepted orders, measured beside the load without much weight on it: a
 * sampled order's execution is polled with DescribeExecution on the stack's Step Functions port by {@link #THREADS}
 * threads, each at most {@link #CALLS_PER_SECOND_PER_THREAD} calls a second, first {@link #FIRST_POLL_MILLIS} ms after
 * the 202 and then less and less often (up to once a second). The time is the execution's {@code stopDate} minus the
 * instant the POST was sent (its scheduled send time under an offered rate), so late polling delays the figure, not its value; the execution stops right after
 * its last Task stored the order's final version. At most {@link #MAX_PENDING} samples wait at once; beyond that an
 * order is not sampled ({@link #skipped()}).
 */
final class FinalSampler implements AutoCloseable {

    static final int THREADS = 2;
    static final int CALLS_PER_SECOND_PER_THREAD = 100;
    static final long FIRST_POLL_MILLIS = 50;
    static final long MAX_POLL_INTERVAL_MILLIS = 1_000;
    static final int MAX_PENDING = 2_000;

    private record Sample(String executionArn, Instant acceptedAt, LoadWindow window, long dueNanos, int polls) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(dueNanos, ((Sample) other).dueNanos);
        }

        Sample again() {
            long interval = Math.min(MAX_POLL_INTERVAL_MILLIS, FIRST_POLL_MILLIS << Math.min(polls + 1, 10));
            return new Sample(executionArn, acceptedAt, window, System.nanoTime() + interval * 1_000_000, polls + 1);
        }
    }

    private final DelayQueue<Sample> queue = new DelayQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder calls = new LongAdder();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();

    FinalSampler(URI sfn) {
        for (int i = 0; i < THREADS; i++) {
            threads.add(Thread.ofPlatform().daemon().name("final-sampler-" + i).start(() -> poll(sfn)));
        }
    }

    /** Samples the order just accepted (POSTed at {@code acceptedAt}) into {@code window}, unless too many wait. */
    boolean offer(String executionArn, Instant acceptedAt, LoadWindow window) {
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            skipped.increment();
            return false;
        }
        window.sampled.increment();
        queue.add(new Sample(executionArn, acceptedAt, window, System.nanoTime() + FIRST_POLL_MILLIS * 1_000_000, 0));
        return true;
    }

    /** Samples whose execution was still running at the last poll. */
    int pending() {
        return pending.get();
    }

    /** How long ago each of this window's pending samples was accepted, in nanoseconds: a lower bound of its POST→final. */
    long[] pendingAges(LoadWindow window) {
        var now = Instant.now();
        return queue.stream().filter(s -> s.window() == window)
                .mapToLong(s -> java.time.Duration.between(s.acceptedAt(), now).toNanos()).toArray();
    }

    long skipped() {
        return skipped.sum();
    }

    /** DescribeExecution calls that did not answer 200 (the sample is dropped; the audit finds the order) or broke (tried again). */
    long failures() {
        return failures.sum();
    }

    long calls() {
        return calls.sum();
    }

    /** Waits until no sample is pending or the deadline passes; true if none is. */
    boolean drain(long deadlineNanos) throws InterruptedException {
        while (pending.get() > 0 && System.nanoTime() < deadlineNanos) {
            Thread.sleep(50);
        }
        return pending.get() == 0;
    }

    private void poll(URI sfn) {
        long pace = 1_000_000_000L / CALLS_PER_SECOND_PER_THREAD;
        try (var api = new JsonOverHttp(sfn)) {
            long next = System.nanoTime();
            while (!closed.get()) {
                var sample = queue.poll(100, TimeUnit.MILLISECONDS);
                if (sample == null) {
                    continue;
                }
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                next = Math.max(next, System.nanoTime() - pace) + pace;
                calls.increment();
                if (!describe(api, sample)) {
                    queue.add(sample.again());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when the sample is done with (ended, or not answered for); false when its execution still runs. */
    private boolean describe(JsonOverHttp api, Sample sample) {
        try {
            var reply = api.send("DescribeExecution", Json.mapper().createObjectNode().put("executionArn", sample.executionArn()));
            if (reply.status() != 200) {
                failures.increment();
                pending.decrementAndGet();
                return true;
            }
            var execution = JsonOverHttp.parse("DescribeExecution", reply.body());
            if (execution.path("status").asText().equals("RUNNING")) {
                return false;
            }
            var stopDate = new BigDecimal(execution.path("stopDate").asText());
            long stopNanos = stopDate.movePointRight(9).longValue();
            long acceptedNanos = sample.acceptedAt().getEpochSecond() * 1_000_000_000L + sample.acceptedAt().getNano();
            sample.window().toFinal.add(Math.max(0, stopNanos - acceptedNanos));
            pending.decrementAndGet();
            return true;
        } catch (RuntimeException e) {
            // a broken connection or answer: JsonOverHttp reconnects on the next call; try this one again
            failures.increment();
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed.set(true);
        for (var thread : threads) {
            thread.join(5_000);
        }
    }
}
