package com.orderflow.local.engine;

import java.time.Duration;
import java.time.Instant;

/**
 * The engine's notion of time: what "now" is for timestamps and Wait states, and how long a
 * Wait, Retry interval or timeout really takes. Real time by default; tests may speed it up.
 */
public interface EngineClock {

    Instant now();

    /** Real nanoseconds that {@code engineTime} of workflow time takes on this clock. */
    long realNanos(Duration engineTime);

    /** Sleeps for {@code engineTime} of workflow time; interruptible (StopExecution). */
    default void sleep(Duration engineTime) throws InterruptedException {
        long nanos = realNanos(engineTime);
        if (nanos > 0) {
            Thread.sleep(Duration.ofNanos(nanos));
        }
    }

    /** Wall-clock time; Waits and Retry intervals take as long as the definition says. */
    static EngineClock system() {
        return new EngineClock() {
            @Override
            public Instant now() {
                return Instant.now();
            }

            @Override
            public long realNanos(Duration engineTime) {
                return engineTime.toNanos();
            }
        };
    }

    /**
     * Time runs {@code factor} times faster than wall-clock time: a {@code Wait} of 10 seconds takes
     * 10/factor real seconds, and {@link #now()} advances consistently so Timestamp waits still work.
     */
    static EngineClock accelerated(double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("factor must be positive: " + factor);
        }
        Instant origin = Instant.now();
        long originNanos = System.nanoTime();
        return new EngineClock() {
            @Override
            public Instant now() {
                long elapsed = (long) ((System.nanoTime() - originNanos) * factor);
                return origin.plusNanos(elapsed);
            }

            @Override
            public long realNanos(Duration engineTime) {
                return (long) (engineTime.toNanos() / factor);
            }
        };
    }
}
