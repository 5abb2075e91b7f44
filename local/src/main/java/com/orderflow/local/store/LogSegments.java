package com.orderflow.local.store;

import com.orderflow.local.files.SegmentReaders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * The segment files of an {@link EventLog}'s directory ({@code 000000000001.log}, ...): the frame format, reading
 * them at open and by location afterwards, the table of their sizes, and deleting a sealed one. Writing is
 * {@link SegmentWriter}'s.
 *
 * <p>Frame: {@code int length, int crc32c(kind + body), byte kind, body}. A location is {@code segment << 40 | offset}
 * of the frame.
 */
final class LogSegments {

    /** Length, checksum and kind before a record's body. */
    static final int HEADER = 9;
    private static final long OFFSET_MASK = (1L << 40) - 1;
    private static final String SUFFIX = ".log";

    private final Path directory;
    /** Guards {@link #sizes} and {@link #writing}. */
    private final Object lock = new Object();
    private final TreeMap<Integer, Long> sizes = new TreeMap<>();
    private int writing;
    /**
     * Read handles of segments, the most recently used kept: a handle per segment ever read, kept for good, made the
     * stack's open files grow with its store (an fd per 64 MiB, about one a minute under load).
     */
    private final SegmentReaders readers = new SegmentReaders(MAX_READERS, this::file);
    /** Read handles kept open when idle; beyond them the least recently used is closed once no read is using it. */
    static final int MAX_READERS = 16;

    LogSegments(Path directory) {
        this.directory = directory;
    }

    Path directory() {
        return directory;
    }

    static long location(int segment, long offset) {
        return ((long) segment << 40) | offset;
    }

    static int segmentOf(long location) {
        return (int) (location >>> 40);
    }

    /** The segment numbers on disk, oldest first. */
    List<Integer> onDisk() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SUFFIX) && n.length() == 12 + SUFFIX.length())
                    .map(n -> Integer.parseInt(n.substring(0, 12)))
                    .sorted()
                    .toList();
        }
    }

    Path file(int segment) {
        return directory.resolve(String.format("%012d%s", segment, SUFFIX));
    }

    /** Shows one segment's intact records to {@code visitor}; returns the length of its intact prefix. */
    long scan(int segment, EventLog.Visitor visitor) throws IOException {
        try (var channel = FileChannel.open(file(segment), StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                return 0;
            }
            MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            map.order(ByteOrder.BIG_ENDIAN);
            var crc = new CRC32C();
            long offset = 0;
            while (offset + HEADER <= size) {
                int length = map.getInt((int) offset);
                if (length < 0 || offset + HEADER + length > size) {
                    break;
                }
                int expected = map.getInt((int) offset + 4);
                crc.reset();
                crc.update(map.slice((int) offset + 8, 1 + length));
                if ((int) crc.getValue() != expected) {
                    break;
                }
                byte kind = map.get((int) offset + 8);
                visitor.record(location(segment, offset), kind, map.slice((int) offset + HEADER, length).asReadOnlyBuffer());
                offset += HEADER + length;
            }
            return offset;
        }
    }

    /** Notes {@code segment}'s durable size; a segment above the one written so far becomes the one written. */
    void sized(int segment, long size) {
        synchronized (lock) {
            sizes.put(segment, size);
            writing = Math.max(writing, segment);
        }
    }

    /** The segments, oldest first, not counting the one being written. */
    List<Integer> sealed() {
        synchronized (lock) {
            return List.copyOf(sizes.headMap(writing).keySet());
        }
    }

    /** Deletes a sealed segment whole; what it held is gone. */
    void delete(int segment) throws IOException {
        synchronized (lock) {
            if (segment >= writing) {
                throw new IllegalArgumentException("segment " + segment + " is being written");
            }
            sizes.remove(segment);
        }
        readers.retire(segment);
        Files.deleteIfExists(file(segment));
        forceDirectory();
    }

    /** Reads the record at {@code location}: its kind at index 0, then its body; positioned at 0. */
    ByteBuffer read(long location) {
        int segment = segmentOf(location);
        long offset = location & OFFSET_MASK;
        try {
            var header = ByteBuffer.allocate(HEADER - 1);
            readers.readFully(segment, header, offset);
            var record = ByteBuffer.allocate(1 + header.getInt(0));
            readers.readFully(segment, record, offset + HEADER - 1);
            return record;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the execution store at " + segment + ":" + offset, e);
        }
    }

    /** Makes a created, renamed or deleted segment file durable in its directory. */
    void forceDirectory() {
        try (var dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for reading; the file's own fsync is what we have
        }
    }

    void closeReaders() {
        readers.closeAll();
    }
}
