package com.orderflow.local.store;

import com.orderflow.local.engine.HistoryUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * An append-only log of records in numbered segment files, written by one thread that forces many
 * appends to disk with one fsync (group commit). A record is acknowledged only once it is on disk;
 * a record torn by a crash is cut off at the next open. Old segments can be deleted whole. This class is the queue,
 * the writer thread and the fsync schedule; the files and their frames are {@link LogSegments}', the segment being
 * appended to {@link SegmentWriter}'s.
 */
public final class EventLog implements AutoCloseable {

    /** Called on the writer thread once a record is durable, with its location. */
    @FunctionalInterface
    public interface Durable {
        void durable(long location);
    }

    /** Sees every intact record at open, in log order. */
    @FunctionalInterface
    public interface Visitor {
        void record(long location, byte kind, ByteBuffer body);
    }

    /**
     * How the log behaves; {@link #defaults()} for the local stack.
     *
     * @param syncInterval how long a written record may wait for its fsync. Zero: a record counts as durable only
     *                     once fsynced (power-loss safe, and one fsync per group of starts). Otherwise a record counts
     *                     as durable once the operating system has it, which a kill of the process (kill -9, an OOM
     *                     kill, an IDE's stop button) cannot take back, and it reaches the disk within this interval,
     *                     the most a power cut or an OS crash can lose.
     */
    public record Options(long segmentBytes, long maxPendingBytes, Duration retryDelay, Consumer<String> log,
                          Duration syncInterval) {
        /** The local stack's interval between fsyncs of written records. */
        public static final Duration SYNC_INTERVAL = Duration.ofMillis(20);

        public Options(long segmentBytes, long maxPendingBytes, Duration retryDelay, Consumer<String> log) {
            this(segmentBytes, maxPendingBytes, retryDelay, log, SYNC_INTERVAL);
        }

        public static Options defaults() {
            return new Options(64L << 20, 64L << 20, Duration.ofMillis(200), System.err::println, SYNC_INTERVAL);
        }
    }

    private static final int HEADER = LogSegments.HEADER;

    private final LogSegments segments;
    private final Options options;
    /** Guards {@link #closed} against a second close. */
    private final Object lock = new Object();
    /**
     * Records waiting for the writer. Producers (every running execution, every StartExecution) queue without a
     * lock: on one shared monitor they spent their CPU spinning against each other and the writer.
     */
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicLong pendingBytes = new AtomicLong();
    /** Producers between their look at {@link #closed} and their record being queued; close waits for them. */
    private final AtomicInteger enqueuing = new AtomicInteger();
    /** Set while the writer is about to park for want of records: a producer then unparks it. */
    private volatile boolean writerIdle;
    /** Where producers wait while too much is queued. */
    private final Object backpressure = new Object();
    private final Thread writer;
    private SegmentWriter current;
    private volatile String failure;
    private final LongAdder forcedBatches = new LongAdder();
    private final LongAdder records = new LongAdder();
    /** Held while writing a batch or fsyncing, by the writer thread or a StartExecution writing as leader. */
    private final ReentrantLock writing = new ReentrantLock();
    // guarded by writing: the batch being written (or written again after a failure), its buffers, and the fsync
    // schedule: whether records were written since the last fsync, and when that was (nanoTime)
    private final List<Pending> batch = new ArrayList<>();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
    private final CRC32C crc = new CRC32C();
    private long[] locations = new long[256];
    private boolean unsynced;
    private long lastSync = System.nanoTime();
    private volatile boolean closed;

    /** A queued record: its body is {@code body[0, length)}, so an encoder's buffer is queued without a copy. */
    record Pending(byte kind, byte[] body, int length, Durable durable) {
    }

    private EventLog(Path directory, Options options) {
        this.segments = new LogSegments(directory);
        this.options = options;
        this.writer = Thread.ofPlatform().name("orderflow-event-log").daemon(true).unstarted(this::writeLoop);
    }

    /**
     * Opens (creating if needed) a log directory, shows every intact record to {@code visitor} in order,
     * cuts off a torn tail, and starts the writer.
     */
    public static EventLog open(Path directory, Options options, Visitor visitor) throws IOException {
        Files.createDirectories(directory);
        var log = new EventLog(directory, options);
        int last = 1;
        long intactOfLast = 0;
        for (int segment : log.segments.onDisk()) {
            intactOfLast = log.segments.scan(segment, visitor);
            log.segments.sized(segment, intactOfLast);
            last = segment;
        }
        log.current = new SegmentWriter(log.segments, options.segmentBytes(), last, intactOfLast);
        log.writer.start();
        return log;
    }

    /**
     * Queues a record; {@code durable} runs once it is on disk. Blocks while too much is waiting for the
     * disk (backpressure on running executions).
     */
    public void append(byte kind, byte[] body, Durable durable) {
        append(kind, body, body.length, durable);
    }

    /** {@link #append(byte, byte[], Durable)} of {@code body[0, length)}. */
    public void append(byte kind, byte[] body, int length, Durable durable) {
        if (pendingBytes.get() > options.maxPendingBytes() && !closed) {
            boolean interrupted = false;
            synchronized (backpressure) {
                while (pendingBytes.get() > options.maxPendingBytes() && !closed) {
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
        enqueue(kind, body, length, durable);
    }

    /** Queues a record unless the log is failing or full; then says why at once. */
    public void tryAppend(byte kind, byte[] body, Durable durable) {
        tryAppend(kind, body, body.length, durable);
    }

    /** {@link #tryAppend(byte, byte[], Durable)} of {@code body[0, length)}. */
    public void tryAppend(byte kind, byte[] body, int length, Durable durable) {
        String why = failure;
        if (why != null) {
            throw new HistoryUnavailableException("the execution store cannot write: " + why);
        }
        if (pendingBytes.get() > options.maxPendingBytes()) {
            throw new HistoryUnavailableException("the execution store is behind; try again shortly");
        }
        queue(kind, body, length, durable);
        writeAsLeader();
    }

    private void enqueue(byte kind, byte[] body, int length, Durable durable) {
        queue(kind, body, length, durable);
        if (writerIdle) {
            LockSupport.unpark(writer);
        }
    }

    private void queue(byte kind, byte[] body, int length, Durable durable) {
        enqueuing.incrementAndGet();
        try {
            if (closed) {
                throw new HistoryUnavailableException("the execution store is closed");
            }
            pendingBytes.addAndGet(HEADER + length);
            pending.offer(new Pending(kind, body, length, durable));
        } finally {
            enqueuing.decrementAndGet();
        }
    }

    /** How many fsyncs this log has made, and how many records it has written. */
    public record Stats(long fsyncs, long records) {
    }

    public Stats stats() {
        return new Stats(forcedBatches.sum(), records.sum());
    }

    /** Why writes fail right now, or {@code null} when the log is healthy. */
    public String failure() {
        return failure;
    }

    static int segmentOf(long location) {
        return LogSegments.segmentOf(location);
    }

    /** Reads the record at {@code location}: its kind at index 0, then its body; positioned at 0. */
    public ByteBuffer read(long location) {
        return segments.read(location);
    }

    /** The segments, oldest first, not counting the one being written. */
    public List<Integer> sealedSegments() {
        return segments.sealed();
    }

    /** Deletes a sealed segment whole; what it held is gone. */
    public void deleteSegment(int segment) throws IOException {
        segments.delete(segment);
    }

    // ---- the writer thread ---------------------------------------------------------------------

    /** What one turn at writing did. */
    private enum Turn { WROTE, NOTHING_QUEUED, FAILED }

    /**
     * Writes one batch (holding {@link #writing}): a batch that failed before, to be written again first, or else
     * what is queued, up to 4 MiB. Runs the batch's callbacks once it is written, and fsyncs when the interval is up
     * and {@code maySync}; otherwise leaves that to the writer thread.
     */
    private Turn writeTurn(boolean maySync) {
        if (batch.isEmpty()) {
            long bytes = 0;
            for (Pending p; bytes < (4 << 20) && (p = pending.poll()) != null; ) {
                bytes += HEADER + p.length();
                batch.add(p);
            }
        }
        if (batch.isEmpty()) {
            return Turn.NOTHING_QUEUED;
        }
        long size = 0;
        for (Pending p : batch) {
            size += HEADER + p.length();
        }
        if (buffer.capacity() < size) {
            buffer = ByteBuffer.allocateDirect((int) Math.max(size, buffer.capacity() * 2L));
        }
        if (locations.length < batch.size()) {
            locations = new long[batch.size() * 2];
        }
        boolean syncNow = options.syncInterval().isZero();
        if (!writeBatch(batch, buffer, crc, locations, size, syncNow)) {
            return Turn.FAILED; // the batch stays, to be written again after a pause
        }
        for (int i = 0; i < batch.size(); i++) {
            Durable d = batch.get(i).durable();
            if (d != null) {
                try {
                    d.durable(locations[i]);
                } catch (RuntimeException e) {
                    options.log().accept("event log callback failed: " + e);
                }
            }
        }
        batch.clear();
        pendingBytes.addAndGet(-size);
        synchronized (backpressure) {
            backpressure.notifyAll();
        }
        if (!syncNow) {
            unsynced = true;
            if (maySync && System.nanoTime() - lastSync >= options.syncInterval().toNanos()) {
                sync();
            }
        }
        return Turn.WROTE;
    }

    /**
     * A StartExecution's thread (a platform thread, which may block in a write) writes the queue itself when no one
     * else is: its start is then written without waking the writer thread and without being woken by it, two
     * thread hand-offs that cost more than the write. The writer thread keeps the fsync schedule and the retries.
     */
    private void writeAsLeader() {
        if (Thread.currentThread().isVirtual() || !writing.tryLock()) {
            if (writerIdle) {
                LockSupport.unpark(writer);
            }
            return;
        }
        boolean wakeWriter;
        try {
            boolean wasUnsynced = unsynced;
            Turn turn = writeTurn(false);
            wakeWriter = turn == Turn.FAILED || (unsynced && !wasUnsynced)
                    || (unsynced && System.nanoTime() - lastSync >= options.syncInterval().toNanos());
        } finally {
            writing.unlock();
        }
        if (wakeWriter || (writerIdle && !pending.isEmpty())) {
            LockSupport.unpark(writer);
        }
    }

    /** Whether the writer thread is parked with nothing to write (tests of the leader hand-off wait for it). */
    boolean writerIsIdle() {
        return writerIdle && !writing.isLocked();
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
                if (closed) {
                    return;
                }
                try {
                    Thread.sleep(options.retryDelay());
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            if (closed && enqueuing.get() == 0 && pending.isEmpty()) {
                return; // every producer that got past the closed check has queued its record, and it is written
            }
            writerIdle = true;
            if (pending.isEmpty() && !closed) {
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
    private boolean writeBatch(List<Pending> batch, ByteBuffer buffer, CRC32C crc, long[] locations, long size,
                               boolean force) {
        try {
            current.write(batch, size, buffer, crc, locations, force);
            if (force) {
                forcedBatches.increment();
                lastSync = System.nanoTime();
            }
            records.add(batch.size());
            if (failure != null) {
                failure = null;
                options.log().accept("execution store: writing again (" + segments.directory() + ")");
            }
            return true;
        } catch (IOException | RuntimeException e) {
            if (failure == null) {
                options.log().accept("execution store: cannot write to " + segments.directory() + " (" + e
                        + "); new executions are refused until it can, reads go on");
            }
            failure = String.valueOf(e.getMessage());
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
            if (failure != null) {
                failure = null;
                options.log().accept("execution store: writing again (" + segments.directory() + ")");
            }
        } catch (IOException | RuntimeException e) {
            if (failure == null) {
                options.log().accept("execution store: cannot sync " + segments.directory() + " (" + e
                        + "); new executions are refused until it can, reads go on");
            }
            failure = String.valueOf(e.getMessage());
        }
        lastSync = System.nanoTime();
    }

    /** Writes out what is queued, then stops the writer and closes the files. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        LockSupport.unpark(writer);
        synchronized (backpressure) {
            backpressure.notifyAll();
        }
        try {
            writer.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean locked = false;
        try {
            // a StartExecution still writing as leader finishes its batch first
            locked = writing.tryLock(10, java.util.concurrent.TimeUnit.SECONDS);
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
        segments.closeReaders();
    }
}
