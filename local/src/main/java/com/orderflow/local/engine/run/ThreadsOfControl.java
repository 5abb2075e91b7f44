package com.orderflow.local.engine.run;

import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;

/**
 * An execution's threads of control: the virtual threads that walk its states, run its branches and iterations and
 * wait for its tasks, and the watchdog that ends it at its timeout. They are interrupted together when the
 * execution stops, fails or is suspended.
 */
final class ThreadsOfControl {

    /**
     * The engine's virtual threads. They do not copy the starting thread's inheritable thread-locals: an execution
     * inherits nothing from whoever called StartExecution, and the copy was a map per thread, three threads an execution.
     */
    static final ThreadFactory FACTORY = Thread.ofVirtual().name("orderflow-execution")
            .inheritInheritableThreadLocals(false).factory();

    /**
     * The attached threads, once per attach (a thread attached twice stays until detached twice). Lock-free: an
     * execution's virtual threads attach and detach at once as its branches start and end, and a monitor they contend
     * for can leave one BLOCKED for good on JDK 25.0.3 (see {@link ExecutionRun}'s lock).
     */
    private final ConcurrentLinkedQueue<Thread> threads = new ConcurrentLinkedQueue<>();
    private volatile Thread watchdog;

    /** Starts an engine thread that is no one's thread of control yet. */
    static Thread start(Runnable task) {
        Thread thread = FACTORY.newThread(task);
        thread.start();
        return thread;
    }

    /** Starts the watchdog: after {@code sleepUntil(deadline)} returns it runs {@code onDeadline}. */
    void watch(Instant deadline, Sleeper sleeper, Runnable onDeadline) {
        watchdog = start(() -> {
            try {
                sleeper.sleepUntil(deadline);
                onDeadline.run();
            } catch (InterruptedException e) {
                // the execution ended first
            }
        });
    }

    /** How the watchdog waits for the deadline (the execution's clock). */
    @FunctionalInterface
    interface Sleeper {
        void sleepUntil(Instant deadline) throws InterruptedException;
    }

    void attach(Thread thread) {
        threads.add(thread);
    }

    void detach(Thread thread) {
        threads.remove(thread);
    }

    /** Ends the watchdog's wait: the execution ended before its timeout. */
    void stopWatchdog() {
        Thread w = watchdog;
        if (w != null) {
            w.interrupt();
        }
    }

    /** Interrupts every attached thread of control. */
    void interruptAll() {
        for (Thread t : threads) {
            t.interrupt();
        }
    }
}
