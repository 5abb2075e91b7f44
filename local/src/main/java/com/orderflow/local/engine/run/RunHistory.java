package com.orderflow.local.engine.run;

import com.orderflow.local.engine.EventDetails;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.HistoryRecorder;
import com.orderflow.local.engine.expr.JsonText;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One execution's history as it is recorded: the events in id order, and the run of them not yet handed to the
 * {@link HistoryRecorder}. The recorder gets them together: before a thread of control waits ({@link #flush}),
 * with an event someone waits on (the start, the end), or at {@link #FLUSH_AT}. Until then they are not
 * acknowledged; a crash makes the resumed execution run those steps again, as it runs again any step whose events
 * were not stored. Guarded by its execution's lock: every method is called holding it.
 */
final class RunHistory {

    private static final int FLUSH_AT = 64;

    private final HistoryRecorder recorder;
    private final List<HistoryEvent> events = new ArrayList<>(24);
    private final List<HistoryEvent> unflushed = new ArrayList<>(24);
    private long lastId;

    /** A history that goes on from {@code recorded} (empty for a new execution). */
    RunHistory(HistoryRecorder recorder, List<HistoryEvent> recorded) {
        this.recorder = recorder;
        if (!recorded.isEmpty()) {
            events.addAll(recorded);
            lastId = recorded.getLast().id();
        }
    }

    /** Records the next event; {@code onDurable} (when given) runs once it and every earlier one are stored. */
    long append(String type, long previous, Instant at, EventDetails details, Runnable onDurable) {
        long id = ++lastId;
        var event = HistoryEvent.of(id, previous, at, type, details);
        events.add(event);
        unflushed.add(event);
        if (onDurable != null || unflushed.size() >= FLUSH_AT) {
            flush(onDurable);
        }
        return id;
    }

    /** Hands the events not yet handed over to the recorder, as one run. */
    void flush(Runnable onDurable) {
        if (unflushed.isEmpty()) {
            if (onDurable != null) {
                onDurable.run(); // everything was handed over already
            }
            return;
        }
        // the events are dropped from the run only once the recorder took them: a run it refused stays, to be handed
        // over again, in order, with what follows (the recorder keeps an event it gets twice once)
        if (unflushed.size() == 1) {
            recorder.record(unflushed.getFirst(), onDurable);
        } else {
            recorder.recordAll(List.copyOf(unflushed), onDurable);
        }
        unflushed.clear();
    }

    /**
     * Hands the recorder one event that was given with the recorded history but is not stored yet (a redrive's
     * ExecutionRedriven, which must be durable before anything follows it).
     */
    void store(HistoryEvent event, Runnable onDurable) {
        flush(null);
        recorder.record(event, onDurable);
    }

    long lastId() {
        return lastId;
    }

    HistoryEvent event(long id) {
        return events.get((int) id - 1);
    }

    List<HistoryEvent> copy() {
        return List.copyOf(events);
    }

    /** The input of an ExecutionStarted event as JSON text, however it was recorded. */
    static String startedInput(HistoryEvent started) {
        if (started.content() instanceof EventDetails.ExecutionStarted s) {
            return s.input();
        }
        return started.details().path("executionStartedEventDetails").path("input").asText();
    }

    /** The details of an execution's closing event: {@code {<field>: {error, cause}}} as far as the outcome has them. */
    static EventDetails closingDetails(ExecutionOutcome outcome, String detailsField) {
        ObjectNode details = JsonText.NODES.objectNode();
        ObjectNode d = details.putObject(detailsField);
        switch (outcome) {
            case ExecutionOutcome.Failed f -> errorAndCause(d, f.error(), f.cause());
            case ExecutionOutcome.TimedOut t -> errorAndCause(d, t.error(), t.cause());
            case ExecutionOutcome.Aborted a -> errorAndCause(d, a.error(), a.cause());
            case ExecutionOutcome.Succeeded s -> { }
        }
        return new EventDetails.Tree(details);
    }

    private static void errorAndCause(ObjectNode d, String error, String cause) {
        if (error != null) {
            d.put("error", error);
        }
        if (cause != null) {
            d.put("cause", cause);
        }
    }
}
