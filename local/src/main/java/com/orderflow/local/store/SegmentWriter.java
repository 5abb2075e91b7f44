package com.orderflow.local.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The segment an {@link EventLog} appends to: its file, the position after the last record written, and a zeroed
 * tail ahead of it (so a write does not grow the file, which an fsync then would have to record too). Only the
 * thread holding the log's writing lock uses it. After a failed write it is closed, and the next write reopens the
 * segment and cuts it back to the last position written whole.
 */
final class SegmentWriter {

    /**
     * The segment is kept this far ahead of its last record in zeros written out: an append then lands inside the
     * file, and its fdatasync has no file size to write to the inode, one disk write instead of two. A scan stops at
     * the zeros as at any torn tail (a zero frame fails its checksum).
     */
    private static final int ZEROED_AHEAD = 256 << 10;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ZEROED_AHEAD).asReadOnlyBuffer();

    private final LogSegments segments;
    private final long segmentBytes;
    private FileChannel channel;
    private int segment;
    private long position;
    /** The file's size: zeros from {@link #position} to here. */
    private long zeroedTo;

    SegmentWriter(LogSegments segments, long segmentBytes, int segment, long position) throws IOException {
        this.segments = segments;
        this.segmentBytes = segmentBytes;
        this.segment = segment;
        this.position = position;
        open();
        segments.sized(segment, position);
    }

    /**
     * Appends {@code batch} ({@code size} bytes of frames) as one write, in a new segment when this one would grow past
     * its limit, and puts each record's location in {@code locations}. Forces it when {@code force}.
     */
    void write(List<RecordQueue.Pending> batch, long size, ByteBuffer buffer, CRC32C crc, long[] locations, boolean force)
            throws IOException {
        if (channel == null) {
            open();
        }
        if (position > 0 && position + size > segmentBytes) {
            roll();
        }
        buffer.clear();
        long at = position;
        for (int i = 0; i < batch.size(); i++) {
            RecordQueue.Pending p = batch.get(i);
            locations[i] = LogSegments.location(segment, at);
            crc.reset();
            crc.update(p.kind());
            crc.update(p.body(), 0, p.length());
            buffer.putInt(p.length()).putInt((int) crc.getValue()).put(p.kind()).put(p.body(), 0, p.length());
            at += LogSegments.HEADER + p.length();
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer, position + buffer.position());
        }
        if (at > zeroedTo) {
            zeroAhead(at);
        }
        if (force) {
            channel.force(false);
        }
        position = at;
        segments.sized(segment, position);
    }

    /** Forces what was written to the disk. */
    void force() throws IOException {
        if (channel != null) {
            channel.force(false);
        }
    }

    /** After a failure: nothing past the last position written whole is trusted; the next write reopens the file. */
    void abandon() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException closing) {
                // reopened on the next attempt
            }
            channel = null;
        }
    }

    /** Forces and closes the file; {@code trim} cuts the zeroed tail first (a clean stop leaves none). */
    void close(boolean trim) throws IOException {
        if (channel != null) {
            if (trim) {
                channel.truncate(position);
            }
            channel.force(true);
            channel.close();
        }
    }

    private void open() throws IOException {
        channel = FileChannel.open(segments.file(segment), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        if (channel.size() > position) {
            // a torn tail from a crash mid-write: it was never acknowledged, so it goes
            channel.truncate(position);
            channel.force(true);
        }
        channel.position(position);
        zeroedTo = position;
        segments.forceDirectory();
    }

    /** Seals the current segment and goes on in a new one; nothing changes if the new one cannot be made. */
    private void roll() throws IOException {
        int next = segment + 1;
        FileChannel opened = FileChannel.open(segments.file(next), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        try {
            channel.truncate(position); // the sealed segment keeps no zeroed tail
            channel.force(true);
            opened.truncate(0);
            segments.forceDirectory();
        } catch (IOException e) {
            opened.close();
            throw e;
        }
        channel.close();
        segments.sized(segment, position);
        segments.sized(next, 0L);
        segment = next;
        position = 0;
        zeroedTo = 0;
        channel = opened;
    }

    /** Best effort: where the disk has no room for the zeros, appends grow the file as they go. */
    private void zeroAhead(long from) {
        var zeros = ZEROS.duplicate();
        try {
            while (zeros.hasRemaining()) {
                channel.write(zeros, from + zeros.position());
            }
            zeroedTo = from + ZEROED_AHEAD;
        } catch (IOException e) {
            zeroedTo = from + zeros.position();
        }
    }
}
