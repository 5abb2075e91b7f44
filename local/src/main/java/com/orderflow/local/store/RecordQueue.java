package com.orderflow.local.store;

import com.orderflow.local.engine.HistoryUnavailableException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The records waiting for the log's writer, and the backpressure that holds producers back while too many bytes
 * wait. Producers (every running execution, every StartExecution) queue without a lock: on one shared monitor they
 * spent their CPU spinning against each other and the writer.
 */
final class RecordQueue {

    /** A queued record: its body is {@code body[0, length)}, so an encoder's buffer is queued without a copy. */
    record Pending(byte kind, byte[] body, int length, EventLog.Durable durable) {
    }

    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicLong pendingBytes = new AtomicLong();
    /** Producers between their look at {@link #closed} and their record being queued; close waits for them. */
    private final AtomicInteger enqueuing = new AtomicInteger();
    /** Where producers wait while too much is queued. */
    private final Object backpressure = new Object();
    private final long maxPendingBytes;
    private volatile boolean closed;

    RecordQueue(long maxPendingBytes) {
        this.maxPendingBytes = maxPendingBytes;
    }

    /** Whether more bytes wait than the log lets queue. */
    boolean full() {
        return pendingBytes.get() > maxPendingBytes;
    }

    /** Waits while the queue is full; an interrupt is kept for the caller, the wait goes on. */
    void awaitRoom() {
        if (!full() || closed) {
            return;
        }
        boolean interrupted = false;
        synchronized (backpressure) {
            while (full() && !closed) {
                try {
                    backpressure.wait(100);
                } catch (InterruptedException e) {
                    // an execution's history must have no gap: the record is queued all the same
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues a record, or refuses it once the log is closed. */
    void offer(byte kind, byte[] body, int length, EventLog.Durable durable) {
        enqueuing.incrementAndGet();
        try {
            if (closed) {
                throw new HistoryUnavailableException("the execution store is closed");
            }
            pendingBytes.addAndGet(LogSegments.HEADER + length);
            pending.offer(new Pending(kind, body, length, durable));
        } finally {
            enqueuing.decrementAndGet();
        }
    }

    /** Moves queued records into {@code batch}, oldest first, until about {@code maxBytes} of frames are taken. */
    void drainTo(List<Pending> batch, long maxBytes) {
        long bytes = 0;
        for (Pending p; bytes < maxBytes && (p = pending.poll()) != null; ) {
            bytes += LogSegments.HEADER + p.length();
            batch.add(p);
        }
    }

    /** Frees the room that written records of {@code bytes} (frames included) took, and wakes waiting producers. */
    void written(long bytes) {
        pendingBytes.addAndGet(-bytes);
        synchronized (backpressure) {
            backpressure.notifyAll();
        }
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    boolean closed() {
        return closed;
    }

    /** Whether the queue is closed and every producer that got past the closed check has queued its record. */
    boolean closedAndDrained() {
        return closed && enqueuing.get() == 0 && pending.isEmpty();
    }

    /** Refuses records from now on and lets waiting producers go. */
    void close() {
        closed = true;
        synchronized (backpressure) {
            backpressure.notifyAll();
        }
    }
}
