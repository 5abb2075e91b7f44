package com.orderflow.local.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.function.IntFunction;

/**
 * Read handles of an append-only log's numbered segment files (the execution store's and the S3 store's): at most
 * {@code idleLimit} kept open, the least recently used closed beyond them, and a handle closed only once no read is
 * using it. So the open files stay bounded however large the log grows, and a read never finds its handle closed
 * under it by another read's eviction. Open handles are at most the limit plus the reads in progress. Thread-safe.
 */
public final class SegmentReaders {

    /** A segment's handle and how many reads use it; a retired one is closed by its last user. */
    private static final class Handle {
        private final int segment;
        private final FileChannel channel;
        private int users;
        private boolean retired;

        private Handle(int segment, FileChannel channel) {
            this.segment = segment;
            this.channel = channel;
        }
    }

    private final int idleLimit;
    private final IntFunction<Path> files;
    /** In access order: the first is the least recently used. */
    private final LinkedHashMap<Integer, Handle> open = new LinkedHashMap<>(32, 0.75f, true);
    private boolean closed;

    /** Handles of the segment files {@code files} names, at most {@code idleLimit} of them kept while unused. */
    public SegmentReaders(int idleLimit, IntFunction<Path> files) {
        this.idleLimit = idleLimit;
        this.files = files;
    }

    /**
     * Fills {@code buffer} from the segment's bytes at {@code at} and flips it. A handle closed by another read's
     * interrupt (an interrupted read closes its channel for all) is dropped and the read tried again on a new one.
     */
    public void readFully(int segment, ByteBuffer buffer, long at) throws IOException {
        int start = buffer.position();
        for (int attempt = 1; ; attempt++) {
            Handle handle = acquire(segment);
            try {
                buffer.position(start);
                while (buffer.hasRemaining()) {
                    if (handle.channel.read(buffer, at + buffer.position() - start) < 0) {
                        throw new IOException("segment " + segment + " ends before byte " + (at + buffer.limit()));
                    }
                }
                buffer.flip();
                return;
            } catch (ClosedChannelException e) {
                discard(handle);
                if (e instanceof ClosedByInterruptException || attempt == 3) {
                    throw e;
                }
            } finally {
                release(handle);
            }
        }
    }

    /** The segment is being deleted: its handle closes once its reads are done. */
    public synchronized void retire(int segment) {
        Handle handle = open.remove(segment);
        if (handle != null) {
            retire(handle);
        }
    }

    /** Closes every handle once its reads are done; later reads fail. */
    public synchronized void closeAll() {
        closed = true;
        open.values().forEach(this::retire);
        open.clear();
    }

    /** How many handles are open now, retired ones still in use included. */
    synchronized int openCount() {
        return open.size();
    }

    private synchronized Handle acquire(int segment) throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        Handle handle = open.get(segment);
        if (handle == null) {
            handle = new Handle(segment, FileChannel.open(files.apply(segment), StandardOpenOption.READ));
            open.put(segment, handle);
            var eldest = open.values().iterator();
            while (open.size() > idleLimit) {
                Handle old = eldest.next();
                eldest.remove();
                retire(old);
            }
        }
        handle.users++;
        return handle;
    }

    private synchronized void release(Handle handle) {
        handle.users--;
        if (handle.retired && handle.users == 0) {
            close(handle);
        }
    }

    private synchronized void discard(Handle handle) {
        open.remove(handle.segment, handle);
        handle.retired = true;
    }

    private void retire(Handle handle) {
        handle.retired = true;
        if (handle.users == 0) {
            close(handle);
        }
    }

    private static void close(Handle handle) {
        try {
            handle.channel.close();
        } catch (IOException e) {
            // closing a read handle cannot lose data
        }
    }
}
