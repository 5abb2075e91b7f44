package com.orderflow.local.s3;

import com.orderflow.local.files.SegmentReaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The S3 store's append-only log: records in numbered segment files, each framed as {@code int length,
 * int crc32c(kind + body), byte kind, body}. An append is written by the caller under one lock, so the log's order is
 * the order the store applied its changes in; a syncer thread fsyncs what was written. A record torn by a kill is
 * cut off at the next open: it was never acknowledged. Nothing is ever rewritten in place.
 *
 * <p>A location is {@code segment << 40 | offset} of a record's body.
 */
final class ObjectLog implements AutoCloseable {

    /** Sees every intact record at open, in log order; {@code body} is only valid during the call. */
    @FunctionalInterface
    interface Visitor {
        void record(long bodyLocation, byte kind, ByteBuffer body) throws IOException;
    }

    private static final int HEADER = 9;
    private static final long OFFSET_MASK = (1L << 40) - 1;
    private static final String SUFFIX = ".s3log";

    private final Path directory;
    private final long segmentBytes;
    /** Zero: an append returns once fsynced; otherwise once written, and it is fsynced within this interval. */
    private final Duration syncInterval;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition syncWanted = lock.newCondition();
    private final Condition synced = lock.newCondition();
    /** Where the syncer lets an interval's writes gather; only close wakes it early. */
    private final Condition pause = lock.newCondition();
    /**
     * Read handles of the segments, the written one's too, at most {@link #MAX_OPEN} kept (a handle per segment for
     * good made the open files grow with the data, one per 256 MiB).
     */
    private final SegmentReaders readers;
    /** Read handles kept open while unused; beyond them the least recently used is closed once no read is using it. */
    static final int MAX_OPEN = 16;
    private final CRC32C crc = new CRC32C();
    private final Thread syncer;
    // guarded by lock
    private FileChannel current;
    private volatile int currentSegment;
    private long position;
    /** Appends written so far and fsynced so far, counted in records. */
    private long written;
    private long durable;
    private IOException failure;
    private volatile boolean closed;

    private ObjectLog(Path directory, long segmentBytes, Duration syncInterval) {
        this.directory = directory;
        this.segmentBytes = segmentBytes;
        this.syncInterval = syncInterval;
        this.readers = new SegmentReaders(MAX_OPEN, this::file);
        this.syncer = Thread.ofPlatform().name("orderflow-s3-sync").daemon(true).unstarted(this::syncLoop);
    }

    /** Opens (creating if needed) the log under {@code directory} and shows every intact record to {@code visitor}. */
    static ObjectLog open(Path directory, long segmentBytes, Duration syncInterval, Visitor visitor) throws IOException {
        Files.createDirectories(directory);
        var log = new ObjectLog(directory, segmentBytes, syncInterval);
        try {
            List<Integer> numbers = log.segmentNumbers();
            for (int number : numbers) {
                var channel = FileChannel.open(log.file(number), StandardOpenOption.READ, StandardOpenOption.WRITE);
                if (number == numbers.getLast()) {
                    log.current = channel; // closed with the log should it prove unreadable
                    long intact = scan(number, channel, visitor);
                    // the tail after the last intact record was never acknowledged: cut it off
                    channel.truncate(intact);
                    log.currentSegment = number;
                    log.position = intact;
                } else {
                    try (channel) { // read again through the read handles
                        long intact = scan(number, channel, visitor);
                        if (intact != channel.size()) {
                            throw new IOException(log.file(number) + " is damaged at byte " + intact + " (not at its"
                                    + " end, so not a torn last write); move the S3 data directory aside to start afresh");
                        }
                    }
                }
            }
            if (numbers.isEmpty()) {
                log.startSegment(1);
            }
        } catch (IOException | RuntimeException e) {
            log.closeChannels();
            throw e;
        }
        log.syncer.start();
        return log;
    }

    private List<Integer> segmentNumbers() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX) && n.length() == 10 + SUFFIX.length())
                    .map(n -> Integer.parseInt(n.substring(0, 10)))
                    .sorted()
                    .toList();
        }
    }

    private Path file(int segment) {
        return directory.resolve(String.format("%010d%s", segment, SUFFIX));
    }

    private static long scan(int segment, FileChannel channel, Visitor visitor) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return 0;
        }
        // one mapping per segment: reading it costs no system call per record
        MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        var crc = new CRC32C();
        int offset = 0;
        while (offset + HEADER <= size) {
            int length = map.getInt(offset);
            if (length < 0 || offset + HEADER + (long) length > size) {
                break;
            }
            crc.reset();
            crc.update(map.slice(offset + 8, 1 + length));
            if ((int) crc.getValue() != map.getInt(offset + 4)) {
                break;
            }
            visitor.record(location(segment, offset + HEADER), map.get(offset + 8),
                    map.slice(offset + HEADER, length).asReadOnlyBuffer());
            offset += HEADER + length;
        }
        return offset;
    }

    private static long location(int segment, long offset) {
        return ((long) segment << 40) | offset;
    }

    /**
     * Appends one record; returns the location of its body once it is acknowledged (written, or fsynced when the
     * sync interval is zero).
     */
    long append(byte kind, ByteBuffer body) throws IOException {
        int length = body.remaining();
        var frame = ByteBuffer.allocate(HEADER + length);
        lock.lock();
        try {
            if (closed) {
                throw new IOException("the S3 store is closed");
            }
            if (failure != null) {
                throw new IOException("the S3 store cannot write: " + failure.getMessage(), failure);
            }
            crc.reset();
            crc.update(kind);
            crc.update(body.duplicate());
            frame.putInt(length).putInt((int) crc.getValue()).put(kind).put(body).flip();
            if (position > 0 && position + frame.remaining() > segmentBytes) {
                current.force(false);
                startSegment(currentSegment + 1);
            }
            long at = position;
            while (frame.hasRemaining()) {
                current.write(frame, position + frame.position());
            }
            position += HEADER + length;
            long mine = ++written;
            syncWanted.signal();
            if (syncInterval.isZero()) {
                while (durable < mine && failure == null) {
                    synced.awaitUninterruptibly();
                }
                if (durable < mine) {
                    throw new IOException("the S3 store cannot write: " + failure.getMessage(), failure);
                }
            }
            return location(currentSegment, at + HEADER);
        } finally {
            lock.unlock();
        }
    }

    private void startSegment(int number) throws IOException {
        var channel = FileChannel.open(file(number), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileChannel sealed = current;
        current = channel;
        currentSegment = number;
        position = 0;
        if (sealed != null) {
            sealed.close(); // forced before the roll; its reads go through the read handles
        }
        // the new file's name must survive a power cut too
        try (var dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory; the file's own fsync is what they offer
        }
    }

    /** Reads {@code length} bytes at a body location (from {@link #append} or the visitor at open). */
    byte[] read(long location, int offsetInBody, int length) {
        var bytes = ByteBuffer.allocate(length);
        try {
            readers.readFully((int) (location >>> 40), bytes, (location & OFFSET_MASK) + offsetInBody);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.array();
    }

    private void syncLoop() {
        lock.lock();
        try {
            while (!closed) {
                if (durable == written) {
                    syncWanted.awaitUninterruptibly();
                    continue;
                }
                long upTo = written;
                FileChannel channel = current;
                lock.unlock();
                IOException failed = null;
                try {
                    channel.force(false);
                } catch (IOException e) {
                    failed = e;
                } finally {
                    lock.lock();
                }
                if (failed instanceof ClosedChannelException && channel != current && !closed) {
                    failed = null; // the segment was forced at its roll and then closed: all it holds is durable
                }
                if (failed != null) {
                    failure = failed;
                } else {
                    durable = Math.max(durable, upTo);
                }
                synced.signalAll();
                if (!syncInterval.isZero()) {
                    // let the interval's writes gather into the next fsync
                    long left = syncInterval.toNanos();
                    while (left > 0 && !closed) {
                        left = pause.awaitNanos(left);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes in the log, over all segments. */
    long size() {
        long total = 0;
        try {
            for (int segment : segmentNumbers()) {
                total += Files.size(file(segment));
            }
        } catch (IOException e) {
            // a segment that cannot be looked at counts nothing
        }
        return total;
    }

    /** Fsyncs what was written and closes the files. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            syncWanted.signalAll();
            pause.signalAll();
            if (current != null) {
                current.force(false);
            }
        } finally {
            lock.unlock();
        }
        syncer.interrupt();
        closeChannels();
    }

    private void closeChannels() throws IOException {
        readers.closeAll();
        if (current != null) {
            current.close();
        }
    }
}
