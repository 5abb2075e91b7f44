package com.orderflow.local.engine.run;

import com.orderflow.local.engine.EngineClock;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One task attempt waiting for its worker: the answer, heartbeats and (for an activity) the worker that took it,
 * as they arrive from the API's threads, and the deadlines the waiting step keeps. Its monitor guards it all.
 */
final class TaskWait {

    /** A worker's answer: an output (SendTaskSuccess) or an error and cause (SendTaskFailure). */
    static final class Answer {
        final JsonNode output;
        final String outputText;
        final String error;
        final String cause;
        /** Completed once the task's end event is durable. */
        final CompletableFuture<Void> recorded = new CompletableFuture<>();

        Answer(JsonNode output, String outputText, String error, String cause) {
            this.output = output;
            this.outputText = outputText;
            this.error = error;
            this.cause = cause;
        }

        boolean failed() {
            return outputText == null;
        }
    }

    /** What the waiting step sees next. */
    enum Next { ANSWERED, PICKED_UP, TIMED_OUT, HEARTBEAT_TIMED_OUT }

    final String token;
    final ExecutionRun run;
    /** What GetActivityTask hands the worker; null for a callback integration. */
    final String activityInput;
    private Answer answer;
    private String worker;
    private boolean pickupReported;
    private boolean submitted;
    private boolean closed;
    /** When the heartbeat deadline counts from (the start, or the last heartbeat); null before the task started. */
    private Instant lastBeat;
    private long beatEventId;

    TaskWait(String token, ExecutionRun run, String activityInput) {
        this.token = token;
        this.run = run;
        this.activityInput = activityInput;
    }

    synchronized boolean answer(Answer a) {
        if (closed || answer != null) {
            return false;
        }
        answer = a;
        notifyAll();
        return true;
    }

    synchronized Answer answer() {
        return answer;
    }

    synchronized boolean beat(Instant at) {
        if (closed || answer != null) {
            return false;
        }
        if (lastBeat == null || at.isAfter(lastBeat)) {
            lastBeat = at;
        }
        return true;
    }

    /** A worker takes the activity task; false when another did, or the task is over. */
    synchronized boolean pickUp(String workerName) {
        if (closed || worker != null) {
            return false;
        }
        worker = workerName == null ? "" : workerName;
        notifyAll();
        return true;
    }

    synchronized String worker() {
        return worker;
    }

    /** The task started at {@code at} with its started event {@code eventId}: heartbeats count from here on. */
    synchronized void started(long eventId, Instant at) {
        beatEventId = eventId;
        pickupReported = true;
        beat(at);
    }

    synchronized long beatEventId() {
        return beatEventId;
    }

    synchronized void submitted(boolean value) {
        submitted = value;
    }

    synchronized boolean submitted() {
        return submitted;
    }

    synchronized void close() {
        closed = true;
    }

    /**
     * Waits for an answer, a pickup not reported yet, or a deadline: {@code timeoutAt} (TimeoutSeconds) or the last
     * heartbeat plus {@code heartbeatSeconds}. At a deadline the wait closes, so a later answer is refused.
     */
    synchronized Next next(EngineClock clock, Instant timeoutAt, Integer heartbeatSeconds) throws InterruptedException {
        while (true) {
            if (answer != null) {
                return Next.ANSWERED;
            }
            if (worker != null && !pickupReported) {
                pickupReported = true;
                return Next.PICKED_UP;
            }
            Instant now = clock.now();
            Instant beatAt = heartbeatSeconds == null || lastBeat == null ? null : lastBeat.plusSeconds(heartbeatSeconds);
            if (timeoutAt != null && !now.isBefore(timeoutAt)) {
                closed = true;
                return Next.TIMED_OUT;
            }
            if (beatAt != null && !now.isBefore(beatAt)) {
                closed = true;
                return Next.HEARTBEAT_TIMED_OUT;
            }
            Instant deadline = beatAt == null ? timeoutAt : timeoutAt == null || beatAt.isBefore(timeoutAt) ? beatAt : timeoutAt;
            if (deadline == null) {
                wait();
            } else {
                TimeUnit.NANOSECONDS.timedWait(this, Math.max(1, clock.realNanos(Duration.between(now, deadline))));
            }
        }
    }
}
