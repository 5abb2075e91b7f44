package com.orderflow.local.engine;

/**
 * Where one execution's history goes as the engine records it. Events arrive in id order; a durable
 * recorder runs {@code onDurable} once the event (and every earlier one) is on disk.
 */
@FunctionalInterface
public interface HistoryRecorder {

    /**
     * @param onDurable may be {@code null}; called at most once
     * @throws HistoryUnavailableException when the event cannot be taken (only for the first event of an execution)
     */
    void record(HistoryEvent event, Runnable onDurable);

    /** Keeps nothing beyond the engine's own memory: every event is "durable" at once. */
    HistoryRecorder IN_MEMORY = (event, onDurable) -> {
        if (onDurable != null) {
            onDurable.run();
        }
    };
}
