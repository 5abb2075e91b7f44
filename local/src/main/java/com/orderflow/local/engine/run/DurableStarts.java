package com.orderflow.local.engine.run;

import com.orderflow.local.engine.Execution;
import com.orderflow.local.engine.HistoryUnavailableException;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * StartExecution's wait for its first event to be durable, bounded by one sweeping thread for all starts. A timed
 * wait of its own would give every start a timer in the virtual-thread scheduler, and that scheduler's thread a
 * wake-up to add it and another to cancel it: at thousands of starts a second, most of the engine's system time.
 * Every start waits the same {@link #within}, so the waits queue in deadline order and a sweep looks at the front.
 */
final class DurableStarts implements AutoCloseable {

    private static final long SWEEP_MILLIS = 100;

    private record Waiting(long deadline, CompletableFuture<Void> durable) {
    }

    private final Duration within;
    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private Thread sweeper;
    private boolean closed;

    DurableStarts(Duration within) {
        this.within = within;
    }

    Duration within() {
        return within;
    }

    /**
     * Returns once {@code durable} completes.
     *
     * @throws TimeoutException when it did not within {@link #within} (it may still complete later)
     */
    void await(CompletableFuture<Void> durable) throws TimeoutException, InterruptedException {
        if (!durable.isDone()) {
            var wait = new CompletableFuture<Void>();
            durable.whenComplete((ok, failure) -> wait.complete(null));
            waiting.add(new Waiting(System.nanoTime() + within.toNanos(), wait));
            ensureSweeper();
            try {
                wait.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TimeoutException timeout) {
                    throw timeout;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        if (durable.isCompletedExceptionally()) {
            throw new TimeoutException("the start failed before it was durable");
        }
    }

    /**
     * Runs {@code then} once {@code durable} completes: at once, or (when it takes longer than {@link #within}) if it
     * ever does, for it may still reach the disk (the store retries); {@code pending} exists from that moment.
     *
     * @throws HistoryUnavailableException when it did not complete in time
     */
    void awaitThenRun(CompletableFuture<Void> durable, String what, Runnable then, Execution pending) {
        try {
            await(durable);
        } catch (TimeoutException e) {
            durable.thenRun(then);
            throw new HistoryUnavailableException(what + " could not be stored within " + within.toSeconds() + " s",
                    pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            durable.thenRun(then);
            throw new HistoryUnavailableException("interrupted before " + what + " was stored", pending);
        }
        then.run();
    }

    private synchronized void ensureSweeper() {
        if (sweeper == null && !closed) {
            sweeper = Thread.ofPlatform().daemon(true).name("orderflow-durable-starts").start(this::sweep);
        }
    }

    private void sweep() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(SWEEP_MILLIS);
                long now = System.nanoTime();
                for (Waiting w; (w = waiting.peek()) != null && (w.durable().isDone() || w.deadline() - now <= 0); ) {
                    waiting.poll();
                    w.durable().completeExceptionally(new TimeoutException());
                }
            }
        } catch (InterruptedException e) {
            // the engine closed
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (sweeper != null) {
            sweeper.interrupt();
        }
        for (Waiting w; (w = waiting.poll()) != null; ) {
            w.durable().completeExceptionally(new TimeoutException());
        }
    }
}
