package com.orderflow.local.engine.run;

import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.TaskContext;
import com.orderflow.local.engine.TaskToken;
import com.orderflow.local.engine.definition.State;
import com.orderflow.local.engine.expr.JsonText;
import com.orderflow.local.engine.expr.StateFailure;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * A Task attempt that waits for a worker's answer: a {@code .waitForTaskToken} integration (invoked with
 * {@code $$.Task.Token} in its parameters, then waiting) or an activity (queued for GetActivityTask). The wait is a
 * parked virtual thread. After a restart the attempt finds its recorded events again and waits on the same token
 * with the same deadlines; an invocation that was not yet submitted runs again (at-least-once, as any Task).
 */
final class CallbackStep {

    static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";

    private final ExecutionRun run;
    private final TaskStep tasks;

    CallbackStep(ExecutionRun run, TaskStep tasks) {
        this.run = run;
        this.tasks = tasks;
    }

    static boolean handles(String resource) {
        return resource.endsWith(Callbacks.WAIT_FOR_TASK_TOKEN) || TaskResource.isActivity(resource);
    }

    Step task(State.Task t, JsonNode raw, StateScope scope, Cursor cursor) {
        var events = CallbackEvents.of(t.resource(), run.region());
        String token = new TaskToken(run.identity.executionArn(), run.identity.startTime().toEpochMilli(), cursor.last)
                .encode();
        scope.taskToken(token);
        JsonNode effective = t.io().effectiveInput(raw, scope);
        JsonNode parameters = t.io().arguments(effective, scope);
        Integer timeout = TaskStep.seconds(t.timeout(), effective, scope, "TimeoutSeconds");
        Integer heartbeat = TaskStep.seconds(t.heartbeat(), effective, scope, "HeartbeatSeconds");
        String input = JsonText.write(parameters);
        StateWalk.checkSize(t.name(), input);

        cursor.last = record(events.scheduled(input, timeout, heartbeat), cursor);
        long scheduledId = cursor.last;
        if (run.replayed(scheduledId)) {
            // what was handed out before the restart stands ($$ times and UUIDs in it are not reproducible)
            input = CallbackEvents.scheduledInput(run.event(scheduledId));
        }
        HistoryEvent started = null;
        HistoryEvent submitted = null;
        if (!events.activity()) {
            cursor.last = record(events.started(null), cursor);
            started = run.event(cursor.last);
        }
        HistoryEvent end = null;
        if (!run.replayDone()) {
            String progress = events.activity() ? "ActivityStarted" : "TaskSubmitted";
            HistoryEvent next = run.replayed(cursor.last, e -> e.type().equals(progress)
                    || CallbackEvents.ENDS.contains(e.type()));
            if (next != null && next.type().equals(progress)) {
                cursor.last = next.id();
                if (events.activity()) {
                    started = next;
                } else {
                    submitted = next;
                }
                next = run.replayDone() ? null : run.replayed(next.id(), e -> CallbackEvents.ENDS.contains(e.type()));
            }
            end = next;
        }
        if (end != null) {
            return recordedEnd(t, raw, scope, cursor, end);
        }

        // a callback's timeout counts from its start, an activity's from when it was scheduled (queued)
        Instant timeoutAt = timeout == null ? null
                : run.event(events.activity() ? scheduledId : started.id()).timestamp().plusSeconds(timeout);
        var wait = new TaskWait(token, run, events.activity() ? input : null);
        if (started != null) {
            wait.started(started.id(), started.timestamp());
            Instant beat = run.recorder.lastHeartbeat(started.id());
            if (beat != null) {
                wait.beat(beat);
            }
        }
        wait.submitted(submitted != null);
        if (submitted != null && run.tasks.answersForWorker(t.name())) {
            String mocked = submitted.details().elements().next().path("output").asText();
            wait.answer(new TaskWait.Answer(JsonText.readValue(mocked), mocked, null, null));
        }
        run.callbacks.open(wait);
        try {
            if (events.activity() && started == null) {
                run.callbacks.offer(events.activityArn(), wait);
            } else if (!events.activity() && submitted == null) {
                submit(t, events, JsonText.readValue(input), scope, cursor, timeoutAt, wait);
            }
            run.flush();
            return await(t, events, raw, scope, cursor, wait, timeoutAt, heartbeat);
        } catch (InterruptedException e) {
            throw Stopped.INSTANCE;
        } finally {
            wait.close();
            run.callbacks.close(wait, events.activityArn());
        }
    }

    /** Invokes the integration with the token in its parameters; what it answers is recorded as TaskSubmitted. */
    private void submit(State.Task t, CallbackEvents events, JsonNode parameters, StateScope scope, Cursor cursor,
                        Instant timeoutAt, TaskWait wait) {
        String invoked = Callbacks.invokedResource(t.resource()).orElseThrow();
        Integer remaining = timeoutAt == null ? null
                : (int) Math.max(0, (Duration.between(run.clock.now(), timeoutAt).toMillis() + 999) / 1000);
        var context = new TaskContext(run.identity.executionArn(), run.identity.name(), run.identity.stateMachineArn(),
                t.name(), scope.retryCount, remaining);
        JsonNode answer;
        try {
            if (remaining != null && remaining == 0) {
                throw new StateFailure(StateFailure.TIMEOUT, null);
            }
            answer = tasks.invoke(invoked, parameters, context, remaining);
        } catch (StateFailure f) {
            boolean timedOut = StateFailure.TIMEOUT.equals(f.error());
            cursor.last = record(timedOut ? events.timedOut(f.error(), f.cause())
                    : events.failed(f.error(), f.cause()), cursor);
            throw f;
        }
        String answerText = JsonText.write(answer);
        cursor.last = record(events.submitted(answerText), cursor);
        wait.submitted(true);
        if (run.tasks.answersForWorker(t.name())) {
            wait.answer(new TaskWait.Answer(answer, answerText, null, null)); // a mock's answer is the worker's
        }
    }

    private Step await(State.Task t, CallbackEvents events, JsonNode raw, StateScope scope, Cursor cursor,
                       TaskWait wait, Instant timeoutAt, Integer heartbeat) throws InterruptedException {
        while (true) {
            switch (wait.next(run.clock, timeoutAt, heartbeat)) {
                case PICKED_UP -> started(events, cursor, wait, wait.worker());
                case ANSWERED -> {
                    if (events.activity() && wait.beatEventId() == 0) {
                        started(events, cursor, wait, wait.worker()); // answered after a restart by the worker that had it
                    }
                    return answered(t, events, raw, scope, cursor, wait.answer());
                }
                case TIMED_OUT -> throw timedOut(events, cursor, StateFailure.TIMEOUT);
                case HEARTBEAT_TIMED_OUT -> throw timedOut(events, cursor, HEARTBEAT_TIMEOUT);
            }
        }
    }

    private void started(CallbackEvents events, Cursor cursor, TaskWait wait, String worker) {
        cursor.last = record(events.started(worker), cursor);
        wait.started(cursor.last, run.event(cursor.last).timestamp());
        run.flush();
    }

    private Step answered(State.Task t, CallbackEvents events, JsonNode raw, StateScope scope, Cursor cursor,
                          TaskWait.Answer answer) {
        Runnable recorded = () -> answer.recorded.complete(null);
        if (answer.failed()) {
            cursor.last = record(events.failed(answer.error, answer.cause), cursor);
            run.flush(recorded);
            throw new StateFailure(answer.error == null ? "" : answer.error, answer.cause);
        }
        cursor.last = record(events.succeeded(answer.outputText), cursor);
        run.flush(recorded);
        return run.walk.exit(t, cursor, StateIo.applyResult(t.io(), raw, answer.output, scope, cursor), t.next());
    }

    private StateFailure timedOut(CallbackEvents events, Cursor cursor, String error) {
        cursor.last = record(events.timedOut(error, null), cursor);
        return new StateFailure(error, null);
    }

    /** The end this attempt recorded before a restart: its result stands, nothing is invoked or awaited again. */
    private Step recordedEnd(State.Task t, JsonNode raw, StateScope scope, Cursor cursor, HistoryEvent end) {
        cursor.last = end.id();
        JsonNode d = end.details().elements().next();
        if (!end.type().endsWith("Succeeded")) {
            throw new StateFailure(d.path("error").asText(), d.has("cause") ? d.path("cause").asText() : null);
        }
        JsonNode result = JsonText.readValue(d.path("output").asText());
        return run.walk.exit(t, cursor, StateIo.applyResult(t.io(), raw, result, scope, cursor), t.next());
    }

    private long record(CallbackEvents.Event event, Cursor cursor) {
        return run.record(event.type(), cursor.last, event.details());
    }
}
