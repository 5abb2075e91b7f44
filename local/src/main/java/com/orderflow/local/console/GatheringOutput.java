package com.orderflow.local.console;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.InterruptedIOException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Arrays;

/**
 * The stack's standard output under load: what is written gathers in memory and one writer thread passes it on, all
 * that has gathered in one write. A line per execution end at thousands a second was a system call each (a third of
 * the stack's system time on the Step Functions benchmark); gathered, it is one per {@link #GATHER} at most. An idle
 * stack's line still leaves at once: the writer wakes for the first bytes. At most {@link #MAX_PENDING} bytes wait; a
 * writer past that waits for the target, as it would have without gathering.
 */
public final class GatheringOutput extends OutputStream {

    /** How long the writer lets bytes gather after a write before it writes again. */
    static final Duration GATHER = Duration.ofMillis(5);
    static final int MAX_PENDING = 1 << 20;

    private final OutputStream target;
    private final Object lock = new Object();
    private byte[] pending = new byte[8192];
    private int size;
    /** Set while the writer holds bytes it has taken but not yet written, so {@link #drain} waits for them too. */
    private boolean writing;
    private boolean closed;
    private IOException failure;
    private final Thread writer;

    private GatheringOutput(OutputStream target) {
        this.target = target;
        this.writer = Thread.ofPlatform().name("orderflow-console-writer").daemon(true).unstarted(this::writeLoop);
    }

    /** Starts the writer. */
    public static GatheringOutput over(OutputStream target) {
        var output = new GatheringOutput(target);
        output.writer.start();
        return output;
    }

    /** A {@code PrintStream} in {@code charset} whose lines gather here (its flush at each line costs nothing). */
    public PrintStream printStream(Charset charset) {
        return new PrintStream(this, true, charset);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        synchronized (lock) {
            while (size > 0 && size + length > MAX_PENDING && !closed && failure == null) {
                waitForWriter();
            }
            if (failure != null) {
                throw new IOException("the console's output failed", failure);
            }
            if (closed) {
                target.write(bytes, offset, length); // after close, as plain as it was before
                target.flush();
                return;
            }
            if (size + length > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, size + length));
            }
            System.arraycopy(bytes, offset, pending, size, length);
            boolean wasEmpty = size == 0;
            size += length;
            if (wasEmpty) {
                lock.notifyAll();
            }
        }
    }

    /** Nothing to do: the writer passes bytes on without being asked. */
    @Override
    public void flush() {
    }

    /** Waits until everything written so far has been passed on (and flushed), up to {@code within}. */
    public void drain(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (lock) {
            try {
                while ((size > 0 || writing) && failure == null && System.nanoTime() < deadline) {
                    waitForWriter();
                }
            } catch (InterruptedIOException e) {
                // the interrupt stays set; what has not been written by now is the caller's loss to accept
            }
        }
    }

    /** Passes on what is left, stops the writer; later writes go straight to the target. */
    @Override
    public void close() {
        drain(Duration.ofSeconds(2));
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }

    private void waitForWriter() throws InterruptedIOException {
        try {
            lock.wait(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the console's writer");
        }
    }

    private void writeLoop() {
        byte[] spare = new byte[8192];
        while (true) {
            byte[] out;
            int length;
            synchronized (lock) {
                writing = false;
                lock.notifyAll();
                while (size == 0 && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (size == 0) {
                    return;
                }
                out = pending;
                length = size;
                pending = spare.length >= out.length ? spare : new byte[out.length];
                size = 0;
                writing = true;
            }
            try {
                target.write(out, 0, length);
                target.flush();
            } catch (IOException e) {
                synchronized (lock) {
                    failure = e;
                    writing = false;
                    lock.notifyAll();
                }
                return;
            }
            spare = out;
            try {
                Thread.sleep(GATHER);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
