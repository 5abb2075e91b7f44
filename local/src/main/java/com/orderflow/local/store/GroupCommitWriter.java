package com.orderflow.local.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * Writes what the {@link RecordQueue} holds into the current segment and keeps the fsync schedule: many records
 * share one fsync (group commit), a record's callback runs only once it counts as durable, and a failed batch is
 * written again after a pause. The writer thread does this, or a StartExecution's thread writing as leader.
 */
final class GroupCommitWriter {

    /** What one turn at writing did. */
    enum Turn { WROTE, NOTHING_QUEUED, FAILED }

    private static final long MAX_BATCH_BYTES = 4 << 20;

    private final RecordQueue queue;
    private final LogSegments segments;
    private final EventLog.Options options;
    private final Thread writer;
    /** Set while the writer is about to park for want of records: a producer then unparks it. */
    private volatile boolean writerIdle;
    private volatile String failure;
    private final LongAdder forcedBatches = new LongAdder();
    private final LongAdder records = new LongAdder();
    /** Held while writing a batch or fsyncing, by the writer thread or a StartExecution writing as leader. */
    private final ReentrantLock writing = new ReentrantLock();
    // guarded by writing: the segment, the batch being written (or written again after a failure), its buffers, and
    // the fsync schedule: whether records were written since the last fsync, and when that was (nanoTime)
    private final SegmentWriter current;
    private final List<RecordQueue.Pending> batch = new ArrayList<>();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private final CRC32C crc = new CRC32C();
    private long[] locations = new long[256];
    private boolean unsynced;
    private long lastSync = System.nanoTime();

    GroupCommitWriter(RecordQueue queue, LogSegments segments, SegmentWriter current, EventLog.Options options) {
        this.queue = queue;
        this.segments = segments;
        this.current = current;
        this.options = options;
        this.writer = Thread.ofPlatform().name("orderflow-event-log").daemon(true).unstarted(this::writeLoop);
    }

    void start() {
        writer.start();
    }

    /** Wakes the writer thread if it is parked for want of records. */
    void wakeIfIdle() {
        if (writerIdle) {
            LockSupport.unpark(writer);
        }
    }

    String failure() {
        return failure;
    }

    EventLog.Stats stats() {
        return new EventLog.Stats(forcedBatches.sum(), records.sum());
    }

    /** Whether the writer thread is parked with nothing to write. */
    boolean idle() {
        return writerIdle && !writing.isLocked();
    }

    /**
     * Writes one batch (holding {@link #writing}): a batch that failed before, to be written again first, or else
     * what is queued, up to 4 MiB. Runs the batch's callbacks once it is written, and fsyncs when the interval is up
     * and {@code maySync}; otherwise leaves that to the writer thread.
     */
    private Turn writeTurn(boolean maySync) {
        if (batch.isEmpty()) {
            queue.drainTo(batch, MAX_BATCH_BYTES);
        }
        if (batch.isEmpty()) {
            return Turn.NOTHING_QUEUED;
        }
        long size = 0;
        for (RecordQueue.Pending p : batch) {
            size += LogSegments.HEADER + p.length();
        }
        if (buffer.capacity() < size) {
            buffer = ByteBuffer.allocateDirect((int) Math.max(size, buffer.capacity() * 2L));
        }
        if (locations.length < batch.size()) {
            locations = new long[batch.size() * 2];
        }
        boolean syncNow = options.syncInterval().isZero();
        if (!writeBatch(size, syncNow)) {
            return Turn.FAILED; // the batch stays, to be written again after a pause
        }
        for (int i = 0; i < batch.size(); i++) {
            EventLog.Durable d = batch.get(i).durable();
            if (d != null) {
                try {
                    d.durable(locations[i]);
                } catch (RuntimeException e) {
                    options.log().accept("event log callback failed: " + e);
                }
            }
        }
        batch.clear();
        queue.written(size);
        if (!syncNow) {
            unsynced = true;
            if (maySync && syncDue()) {
                sync();
            }
        }
        return Turn.WROTE;
    }

    private boolean syncDue() {
        return System.nanoTime() - lastSync >= options.syncInterval().toNanos();
    }

    /**
     * A StartExecution's thread (a platform thread, which may block in a write) writes the queue itself when no one
     * else is: its start is then written without waking the writer thread and without being woken by it, two
     * thread hand-offs that cost more than the write. The writer thread keeps the fsync schedule and the retries.
     */
    void writeAsLeader() {
        if (Thread.currentThread().isVirtual() || !writing.tryLock()) {
            wakeIfIdle();
            return;
        }
        boolean wakeWriter;
        try {
            boolean wasUnsynced = unsynced;
            Turn turn = writeTurn(false);
            wakeWriter = turn == Turn.FAILED || (unsynced && !wasUnsynced) || (unsynced && syncDue());
        } finally {
            writing.unlock();
        }
        if (wakeWriter || (writerIdle && !queue.isEmpty())) {
            LockSupport.unpark(writer);
        }
    }

    private void writeLoop() {
        while (true) {
            Turn turn;
            long syncDue = 0;
            writing.lock();
            try {
                turn = writeTurn(true);
                if (turn == Turn.NOTHING_QUEUED && unsynced) {
                    syncDue = lastSync + options.syncInterval().toNanos() - System.nanoTime();
                    if (syncDue <= 0) {
                        sync();
                        syncDue = 0;
                    }
                }
            } finally {
                writing.unlock();
            }
            if (turn == Turn.WROTE) {
                continue;
            }
            if (turn == Turn.FAILED) {
                if (queue.closed()) {
                    return;
                }
                try {
                    Thread.sleep(options.retryDelay());
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            if (queue.closedAndDrained()) {
                return; // every producer that got past the closed check has queued its record, and it is written
            }
            writerIdle = true;
            if (queue.isEmpty() && !queue.closed()) {
                if (syncDue > 0) {
                    LockSupport.parkNanos(this, syncDue);
                } else {
                    LockSupport.park(this);
                }
            }
            writerIdle = false;
            if (Thread.interrupted()) {
                return;
            }
        }
    }

    /**
     * Writes and forces one batch. On failure nothing past the last durable position is trusted: the segment is
     * closed, and the next attempt reopens it, cuts it back there and writes the whole batch again.
     */
    private boolean writeBatch(long size, boolean force) {
        try {
            current.write(batch, size, buffer, crc, locations, force);
            if (force) {
                forcedBatches.increment();
                lastSync = System.nanoTime();
            }
            records.add(batch.size());
            writingAgain();
            return true;
        } catch (IOException | RuntimeException e) {
            failed("cannot write to", e);
            current.abandon();
            return false;
        }
    }

    /**
     * Forces what was written to the disk. A failure leaves the records written and acknowledged (the operating
     * system holds them), refuses new executions until a later fsync succeeds, and is tried again.
     */
    private void sync() {
        try {
            current.force();
            forcedBatches.increment();
            unsynced = false;
            writingAgain();
        } catch (IOException | RuntimeException e) {
            failed("cannot sync", e);
        }
        lastSync = System.nanoTime();
    }

    private void writingAgain() {
        if (failure != null) {
            failure = null;
            options.log().accept("execution store: writing again (" + segments.directory() + ")");
        }
    }

    private void failed(String what, Exception e) {
        if (failure == null) {
            options.log().accept("execution store: " + what + " " + segments.directory() + " (" + e
                    + "); new executions are refused until it can, reads go on");
        }
        failure = String.valueOf(e.getMessage());
    }

    /** Lets the writer thread write what is queued and end, then closes the segment (after a leader's batch). */
    void stop() {
        LockSupport.unpark(writer);
        try {
            writer.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean locked = false;
        try {
            // a StartExecution still writing as leader finishes its batch first
            locked = writing.tryLock(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            current.close(!writer.isAlive() && locked);
        } catch (IOException e) {
            // what was forced is what the log holds
        } finally {
            if (locked) {
                writing.unlock();
            }
        }
    }
}
