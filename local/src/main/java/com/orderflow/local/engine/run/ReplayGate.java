package com.orderflow.local.engine.run;

import com.orderflow.local.engine.HistoryEvent;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * A resumed execution's way back through the history recorded before the restart: each thread of control takes its
 * recorded events again in the order of the original run, so sibling branches interleave as they did, and waits
 * (a virtual thread only) while a sibling's event comes first. Guarded by the execution's lock.
 */
final class ReplayGate {

    private static final long[] NO_REDRIVES = {};

    private final ExecutionRun run;
    /** Signalled when a replayed event is taken or the execution ends (a condition of the execution's lock). */
    private final Condition progress;
    /** The recorded history still to be taken again; null once done (or when there was none). */
    private HistoryReplay replay;
    /** Events up to this id were recorded before a restart. */
    private final long recordedCount;
    /** The ids of the recorded ExecutionRedriven events, in order. */
    private final long[] redriveIds;
    /** How many redrives the recorded history holds, and when the last was. */
    private final StateScope.Redrives redrives;
    /** Fails the execution when its recorded history does not follow from its definition at this event. */
    private final LongConsumer stalled;

    ReplayGate(ExecutionRun run, Condition progress, List<HistoryEvent> recorded, LongConsumer stalled) {
        this.run = run;
        this.progress = progress;
        this.recordedCount = recorded.size();
        this.replay = recorded.isEmpty() ? null : new HistoryReplay(recorded);
        // a new execution has no recorded history: nothing to look through on every start
        var redriven = recorded.isEmpty() ? List.<HistoryEvent>of()
                : recorded.stream().filter(e -> e.type().equals(RedrivePlan.REDRIVEN)).toList();
        this.redriveIds = redriven.isEmpty() ? NO_REDRIVES : redriven.stream().mapToLong(HistoryEvent::id).toArray();
        this.redrives = redriven.isEmpty() ? StateScope.Redrives.NONE
                : new StateScope.Redrives(redriven.size(), redriven.getLast().timestamp());
        this.stalled = stalled;
    }

    /** Whether a replay is under way (holding the lock). */
    boolean active() {
        return replay != null;
    }

    /** Takes the first recorded event again (holding the lock): a resumed run starts after its ExecutionStarted. */
    void consumeFirst(HistoryEvent started) {
        replay.consume(started);
    }

    /** Whether the event with this id was recorded before a restart. */
    boolean recorded(long id) {
        return id <= recordedCount;
    }

    /** The redrives in the recorded history, for the context object and the execution's timeout. */
    StateScope.Redrives redrives() {
        return redrives;
    }

    /** How many times the execution was redriven after event {@code id} was recorded before this run. */
    int redrivesAfter(long id) {
        int redrives = 0;
        for (long redriven : redriveIds) {
            if (redriven > id) {
                redrives++;
            }
        }
        return redrives;
    }

    /** Wakes the threads of control waiting for a sibling's event (holding the lock): the execution ended. */
    void ended() {
        progress.signalAll();
    }

    /**
     * The recorded event that follows {@code previous} and {@code matches}, once every earlier recorded event is
     * taken; {@code null} once this thread of control has reached the end of what was recorded and every other
     * recorded event is taken too. Holding the lock.
     */
    HistoryEvent take(long previous, Predicate<HistoryEvent> matches) {
        while (replay != null) {
            if (replay.done()) {
                replay = null;
                progress.signalAll();
                return null;
            }
            HistoryEvent candidate = replay.next(previous, matches);
            if (candidate != null && candidate.id() == replay.lowest()) {
                replay.consume(candidate);
                progress.signalAll();
                return candidate;
            }
            awaitProgress();
        }
        return null;
    }

    /** Waits for another thread of control to take its recorded event, up to the stall limit for all of them. */
    private void awaitProgress() {
        if (run.ended) {
            throw Stopped.INSTANCE;
        }
        if (System.nanoTime() - replay.lastProgress > HistoryReplay.STALL_NANOS) {
            long at = replay.lowest();
            replay = null;
            stalled.accept(at);
            throw Stopped.INSTANCE;
        }
        try {
            run.flushHolding(); // what this thread recorded is stored before it waits
            if (!progress.await(100, TimeUnit.MILLISECONDS)) {
                return; // no progress within 100 ms: the caller looks again, and the stall check above counts the wait
            }
        } catch (InterruptedException e) {
            throw Stopped.INSTANCE;
        }
        if (run.ended) {
            throw Stopped.INSTANCE;
        }
    }
}
