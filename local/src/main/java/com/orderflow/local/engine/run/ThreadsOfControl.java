package com.orderflow.local.engine.run;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * An execution's threads of control: the virtual threads that walk its states, run its branches and iterations and
 * wait for its tasks. They are interrupted together when the execution stops, fails or is suspended. Its timeout is
 * no thread: a deadline on one timer thread that all executions share, cancelled when the execution ends first.
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
    private volatile ScheduledFuture<?> deadline;

    /**
     * The executions' deadlines. A virtual thread asleep until each execution's timeout was a thread started, parked
     * and woken by an interrupt per execution, and under a backlog one more parked stack per open execution for the
     * collector to walk; a cancelled deadline leaves the queue at once, so an execution that ended holds nothing here.
     */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

    private static ScheduledThreadPoolExecutor deadlines() {
        var timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("orderflow-execution-deadlines").daemon(true).factory());
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** Starts an engine thread that is no one's thread of control yet. */
    static Thread start(Runnable task) {
        Thread thread = FACTORY.newThread(task);
        thread.start();
        return thread;
    }

    /**
     * After {@code delayNanos} of real time, runs {@code onDeadline} on an engine thread of its own, unless
     * {@link #cancelDeadline()} came first.
     */
    void watch(long delayNanos, Runnable onDeadline) {
        deadline = DEADLINES.schedule(() -> start(onDeadline), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    void attach(Thread thread) {
        threads.add(thread);
    }

    void detach(Thread thread) {
        threads.remove(thread);
    }

    /** Cancels the deadline: the execution ended before its timeout. */
    void cancelDeadline() {
        ScheduledFuture<?> d = deadline;
        if (d != null) {
            d.cancel(false);
        }
    }

    /** Interrupts every attached thread of control. */
    void interruptAll() {
        for (Thread t : threads) {
            t.interrupt();
        }
    }
}
