package com.orderflow.local.sfn;

import com.orderflow.local.engine.Execution;
import com.orderflow.local.engine.ExecutionOutcome;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * The executions open in this process, and the limit on how many StartExecution may open: a start first takes a
 * slot ({@link #tryReserve}), so that concurrent starts can never together pass the limit, and the slot is given
 * back when the execution ends. Resumed executions were accepted before the restart, so they always get a slot,
 * even past the limit; new starts then wait until enough of them have ended.
 */
final class OpenExecutions {

    private final int limit;
    private final BiConsumer<String, ExecutionOutcome> ended;
    private final ConcurrentHashMap<String, Execution> byArn = new ConcurrentHashMap<>();
    /** Slots taken: reserved for a start in progress, or held by an execution in {@link #byArn}. */
    private final AtomicInteger taken = new AtomicInteger();

    /** {@code ended} is told each execution's ARN and outcome once the execution has ended and given its slot back. */
    OpenExecutions(int limit, BiConsumer<String, ExecutionOutcome> ended) {
        if (limit < 1) {
            throw new IllegalArgumentException("the limit of open executions must be positive: " + limit);
        }
        this.limit = limit;
        this.ended = ended;
    }

    int limit() {
        return limit;
    }

    /** How many executions are open (running, waiting or retrying) now. */
    int size() {
        return byArn.size();
    }

    /** Takes a slot for a new execution; false when the limit is reached. */
    boolean tryReserve() {
        while (true) {
            int now = taken.get();
            if (now >= limit) {
                return false;
            }
            if (taken.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot that {@link #tryReserve} took for a start that opened nothing. */
    void cancel() {
        taken.decrementAndGet();
    }

    /** Hands a reserved slot to the execution that was started with it, until the execution ends. */
    void holdReserved(String executionArn, Execution execution) {
        byArn.put(executionArn, execution);
        execution.completion().whenComplete((outcome, failure) -> {
            if (byArn.remove(executionArn, execution)) {
                taken.decrementAndGet();
                if (failure == null) {
                    ended.accept(executionArn, outcome);
                }
            }
        });
    }

    /** Gives a resumed execution a slot of its own, whatever the limit. */
    void holdResumed(String executionArn, Execution execution) {
        taken.incrementAndGet();
        holdReserved(executionArn, execution);
    }

    Optional<Execution> find(String executionArn) {
        return Optional.ofNullable(byArn.get(executionArn));
    }
}
