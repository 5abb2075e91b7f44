package com.orderflow.local.store;

import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Drops finished executions past a retention by deleting whole log segments, oldest first: nothing that is kept is
 * rewritten, so dropping costs the same however many executions remain.
 */
final class ExecutionRetention {

    private ExecutionRetention() {
    }

    /**
     * Deletes the sealed segments before the first one that an execution still needed (not finished before
     * {@code cutoff}) starts in, and forgets the executions that started in them.
     *
     * @return how many executions were dropped
     */
    static int dropFinishedBefore(Instant cutoff, ExecutionIndex index, EventLog executionsLog) throws IOException {
        int pin = Integer.MAX_VALUE;
        for (StoredExecution e : index.all()) {
            Instant stop = e.stopDate();
            if (stop == null || !stop.isBefore(cutoff)) {
                pin = Math.min(pin, e.firstSegment());
            }
        }
        int deletedUpTo = -1;
        for (int segment : executionsLog.sealedSegments()) {
            if (segment >= pin) {
                break;
            }
            executionsLog.deleteSegment(segment);
            deletedUpTo = segment;
        }
        // an execution whose start was in a deleted segment is gone; its later records are ignored at open
        int dropped = 0;
        for (StoredExecution e : List.copyOf(index.all())) {
            if (e.visible() && e.firstSegment() <= deletedUpTo) {
                index.remove(e);
                dropped++;
            }
        }
        return dropped;
    }
}
