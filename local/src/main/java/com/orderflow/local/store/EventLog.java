package com.orderflow.local.store;

import com.orderflow.local.engine.HistoryUnavailableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * An append-only log of records in numbered segment files, written by one thread that forces many
 * appends to disk with one fsync (group commit). A record is acknowledged only once it is on disk;
 * a record torn by a crash is cut off at the next open. Old segments can be deleted whole. This class is the log's
 * face: records wait in a {@link RecordQueue}, a {@link GroupCommitWriter} writes them and keeps the fsync schedule,
 * the files and their frames are {@link LogSegments}', the segment being appended to {@link SegmentWriter}'s.
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

    private final LogSegments segments;
    private final Options options;
    /** Guards {@link #closed} against a second close. */
    private final Object lock = new Object();
    private final RecordQueue queue;
    private GroupCommitWriter writer;
    private boolean closed;

    private EventLog(Path directory, Options options) {
        this.segments = new LogSegments(directory);
        this.options = options;
        this.queue = new RecordQueue(options.maxPendingBytes());
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
        var current = new SegmentWriter(log.segments, options.segmentBytes(), last, intactOfLast);
        log.writer = new GroupCommitWriter(log.queue, log.segments, current, options);
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
        queue.awaitRoom();
        queue.offer(kind, body, length, durable);
        writer.wakeIfIdle();
    }

    /** Queues a record unless the log is failing or full; then says why at once. */
    public void tryAppend(byte kind, byte[] body, Durable durable) {
        tryAppend(kind, body, body.length, durable);
    }

    /** {@link #tryAppend(byte, byte[], Durable)} of {@code body[0, length)}. */
    public void tryAppend(byte kind, byte[] body, int length, Durable durable) {
        String why = writer.failure();
        if (why != null) {
            throw new HistoryUnavailableException("the execution store cannot write: " + why);
        }
        if (queue.full()) {
            throw new HistoryUnavailableException("the execution store is behind; try again shortly");
        }
        queue.offer(kind, body, length, durable);
        writer.writeAsLeader();
    }

    /** How many fsyncs this log has made, and how many records it has written. */
    public record Stats(long fsyncs, long records) {
    }

    public Stats stats() {
        return writer.stats();
    }

    /** Why writes fail right now, or {@code null} when the log is healthy. */
    public String failure() {
        return writer.failure();
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

    /** Whether the writer thread is parked with nothing to write (tests of the leader hand-off wait for it). */
    boolean writerIsIdle() {
        return writer.idle();
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
        queue.close();
        writer.stop();
        segments.closeReaders();
    }
}
