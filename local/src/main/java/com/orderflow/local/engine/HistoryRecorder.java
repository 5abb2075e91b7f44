package com.orderflow.local.engine;

import java.time.Instant;
import java.util.List;

/**
 * Where one execution's history goes as the engine records it. Events arrive in id order, one at a time or in
 * runs: the engine hands over what an execution recorded since it last waited for anything (a Task, a Wait, a
 * backoff, its branches) in one {@link #recordAll} call. A durable recorder runs {@code onDurable} once the events
 * (and every earlier one) are stored.
 */
@FunctionalInterface
public interface HistoryRecorder {

    /**
     * @param onDurable may be {@code null}; called at most once
     * @throws HistoryUnavailableException when the event cannot be taken (only for the first event of an execution)
     */
    void record(HistoryEvent event, Runnable onDurable);

    /** Several events in id order, which a store may keep as one record; {@code onDurable} follows the last. */
    default void recordAll(List<HistoryEvent> events, Runnable onDurable) {
        for (int i = 0; i < events.size(); i++) {
            record(events.get(i), i == events.size() - 1 ? onDurable : null);
        }
    }

    /**
     * Keeps a worker's heartbeat for the task attempt whose started event is {@code taskEventId} (AWS records no
     * history event for one), so that after a restart its heartbeat deadline still counts from it.
     *
     * @param onDurable may be {@code null}; called at most once
     */
    default void recordHeartbeat(long taskEventId, Instant at, Runnable onDurable) {
        if (onDurable != null) {
            onDurable.run();
        }
    }

    /** The last heartbeat {@link #recordHeartbeat} kept for that task attempt, or {@code null}. */
    default Instant lastHeartbeat(long taskEventId) {
        return null;
    }

    /** Keeps nothing beyond the engine's own memory: every event is "durable" at once. */
    HistoryRecorder IN_MEMORY = (event, onDurable) -> {
        if (onDurable != null) {
            onDurable.run();
        }
    };
}
