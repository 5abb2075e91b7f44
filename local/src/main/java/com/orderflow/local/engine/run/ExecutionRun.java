package com.orderflow.local.engine.run;

import com.orderflow.local.engine.EngineClock;
import com.orderflow.local.engine.EventDetails;
import com.orderflow.local.engine.Execution;
import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.HistoryRecorder;
import com.orderflow.local.engine.HistoryUnavailableException;
import com.orderflow.local.engine.MapRunHost;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.engine.definition.DefinitionCompiler;
import com.orderflow.local.engine.expr.JsonText;
import com.orderflow.local.engine.expr.StateFailure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One execution: walks the compiled states on virtual threads (one for the execution, one per
 * Parallel branch, Map iteration and task invocation), records AWS-shaped history events and
 * completes once with the outcome. Waiting (Wait, Retry, task timeouts) parks virtual threads only.
 */
final class ExecutionRun implements Execution {

    /** Step Functions' payload limit (256 KiB of UTF-8). */
    static final long MAX_PAYLOAD_BYTES = 262_144;

    static final Set<String> TASK_ENDS = Set.of("LambdaFunctionSucceeded", "LambdaFunctionFailed",
            "LambdaFunctionTimedOut", "TaskSucceeded", "TaskFailed", "TaskTimedOut");
    static final ObjectNode NOT_TRUNCATED = JsonText.NODES.objectNode().put("truncated", false);

    private final DefinitionCompiler.Compiled definition;
    final ExecutionIdentity identity;
    final JsonNode input;
    final TaskInvoker tasks;
    final EngineClock clock;
    private final Consumer<ExecutionRun> onEnd;
    /** The region of the execution's ARN once a task has asked for it (see {@link #region()}). */
    private String region;
    /** Where the history goes; it also keeps workers' heartbeats. */
    final HistoryRecorder recorder;
    /** The tasks of every execution that wait for a worker's answer. */
    final Callbacks callbacks;
    /** Where a Distributed Map's child executions run and its items come from. */
    final MapRunHost mapRuns;

    /**
     * Guards the history and the replay. A {@code ReentrantLock}, not a monitor: an execution's virtual threads contend
     * for it at every event, and on JDK 25.0.3 a virtual thread blocked entering a monitor can stay BLOCKED after the
     * monitor is free (JDK-8373120, fixed in 25.0.4), which would leave the execution with no thread going on.
     */
    private final ReentrantLock lock = new ReentrantLock();
    /** The recorded events and their hand-off to the recorder (guarded by {@link #lock}). */
    private final RunHistory history;
    volatile boolean ended;
    private volatile ExecutionStatus status = ExecutionStatus.RUNNING;
    private final CompletableFuture<ExecutionOutcome> completion = new CompletableFuture<>();
    /** The execution's threads of control: interrupted when it stops or fails. */
    private final ThreadsOfControl threads = new ThreadsOfControl();
    /** Walks the states; one step type per state type beside it. */
    final StateWalk walk = new StateWalk(this);
    /** The way back through the history recorded before a restart (guarded by {@link #lock}). */
    private final ReplayGate replay;
    /** The redrives in the recorded history, for the context object and the execution's timeout. */
    final StateScope.Redrives redrives;

    ExecutionRun(DefinitionCompiler.Compiled definition, ExecutionIdentity identity, JsonNode input,
                 TaskInvoker tasks, HistoryRecorder recorder, EngineClock clock, Consumer<ExecutionRun> onEnd,
                 List<HistoryEvent> recorded, Callbacks callbacks, MapRunHost mapRuns) {
        this.definition = definition;
        this.mapRuns = mapRuns;
        this.recorder = recorder;
        this.callbacks = callbacks;
        this.identity = identity;
        this.input = input == null ? JsonText.NODES.objectNode() : input.deepCopy();
        this.tasks = tasks;
        this.clock = clock;
        this.onEnd = onEnd;
        this.history = new RunHistory(recorder, recorded);
        this.replay = new ReplayGate(this, lock.newCondition(), recorded, this::failStalled);
        this.redrives = replay.redrives();
    }

    /**
     * Records ExecutionStarted, waits until it is durable, then runs the execution.
     *
     * @throws HistoryUnavailableException when the start could not be made durable: the execution does not exist
     */
    void begin(DurableStarts starts) {
        var details = new EventDetails.ExecutionStarted(JsonText.write(input), identity.roleArn());
        var durable = new CompletableFuture<Void>();
        lock.lock();
        try {
            history.append("ExecutionStarted", 0, clock.now(), details, () -> durable.complete(null));
        } finally {
            lock.unlock();
        }
        starts.awaitThenRun(durable, "the execution", this::run, this);
    }

    /**
     * Stores the ExecutionRedriven event that ends the recorded history, waits until it is durable, then carries on
     * from the states that did not complete.
     *
     * @throws HistoryUnavailableException when the redrive could not be made durable: the execution stays as it was
     */
    void redrive(DurableStarts starts) {
        var durable = new CompletableFuture<Void>();
        lock.lock();
        try {
            history.store(history.event(history.lastId()), () -> durable.complete(null));
        } finally {
            lock.unlock();
        }
        starts.awaitThenRun(durable, "the redrive", this::resume, this);
    }

    /** Carries on an execution whose history was recorded before a restart. */
    void resume() {
        lock.lock();
        try {
            replay.consumeFirst(history.event(1));
        } finally {
            lock.unlock();
        }
        run();
    }

    private void run() {
        if (definition.timeoutSeconds() != null) {
            // a redrive starts the execution's timeout again, as on AWS
            Instant from = redrives.last() != null ? redrives.last() : identity.startTime();
            Instant deadline = from.plusSeconds(definition.timeoutSeconds());
            threads.watch(clock.realNanos(Duration.between(clock.now(), deadline)), () -> finish(
                    new ExecutionOutcome.TimedOut(StateFailure.TIMEOUT, null), "ExecutionTimedOut",
                    "executionTimedOutEventDetails"));
        }
        ThreadsOfControl.start(this::runMain);
    }

    /** Stops every thread of control without recording anything (the engine is shutting down). */
    void suspend() {
        lock.lock();
        try {
            if (ended) {
                return;
            }
            try {
                history.flush(null); // what was recorded is kept: the resumed execution goes on from there
            } catch (RuntimeException e) {
                // the store is going too: those steps run again after the restart
            }
            ended = true;
            replay.ended();
        } finally {
            lock.unlock();
        }
        threads.cancelDeadline();
        threads.interruptAll();
    }

    /** Makes a thread one of the execution's threads of control, interrupted when it stops or fails. */
    void attach(Thread thread) {
        threads.attach(thread);
    }

    void detach(Thread thread) {
        threads.detach(thread);
    }

    /**
     * The region tasks name in their events, parsed from the execution's ARN the first time one asks: most workflows
     * have no task that does, and a full ARN parse per execution was a twentieth of the engine's CPU. Racy but benign:
     * every thread computes the same immutable string.
     */
    String region() {
        String r = region;
        if (r == null) {
            r = TaskResource.regionOf(identity.executionArn());
            region = r;
        }
        return r;
    }

    void sleepUntil(Instant deadline) throws InterruptedException {
        flush();
        Duration left = Duration.between(clock.now(), deadline);
        if (!left.isNegative() && !left.isZero()) {
            clock.sleep(left);
        }
    }

    // ---- Execution -------------------------------------------------------------------------

    @Override
    public ExecutionIdentity identity() {
        return identity;
    }

    @Override
    public ExecutionStatus status() {
        return status;
    }

    @Override
    public CompletableFuture<ExecutionOutcome> completion() {
        return completion;
    }

    @Override
    public List<HistoryEvent> history() {
        lock.lock();
        try {
            return history.copy();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void stop(String error, String cause) {
        finish(new ExecutionOutcome.Aborted(error, cause), "ExecutionAborted", "executionAbortedEventDetails");
    }

    // ---- driving ---------------------------------------------------------------------------

    private void runMain() {
        Thread self = Thread.currentThread();
        attach(self);
        try {
            var cursor = new Cursor(1, new Variables(null));
            // the first state's input is the execution's, written once for ExecutionStarted
            cursor.lastOutput = input;
            cursor.lastOutputText = RunHistory.startedInput(event(1));
            JsonNode output = walk.runGraph(definition.graph(), input, cursor);
            String text = output == cursor.lastOutput ? cursor.lastOutputText : JsonText.write(output);
            finish(new ExecutionOutcome.Succeeded(output), "ExecutionSucceeded", new EventDetails.ExecutionSucceeded(text));
        } catch (StateFailure f) {
            finish(new ExecutionOutcome.Failed(f.error(), f.cause()), "ExecutionFailed", "executionFailedEventDetails");
        } catch (Stopped s) {
            // ended by stop or timeout
        } catch (RuntimeException e) {
            finish(new ExecutionOutcome.Failed(StateFailure.RUNTIME, "Internal engine error: " + e),
                    "ExecutionFailed", "executionFailedEventDetails");
        } finally {
            detach(self);
        }
    }

    private void finish(ExecutionOutcome outcome, String type, String detailsField) {
        finish(outcome, type, RunHistory.closingDetails(outcome, detailsField));
    }

    private void finish(ExecutionOutcome outcome, String type, EventDetails details) {
        lock.lock();
        try {
            if (ended) {
                return;
            }
            ended = true;
            status = outcome.status();
            replay.ended();
            // the outcome is reported once its event is durable
            history.append(type, history.lastId(), clock.now(), details, () -> {
                if (onEnd != null) {
                    onEnd.accept(this);
                }
                completion.complete(outcome);
            });
        } finally {
            lock.unlock();
        }
        threads.cancelDeadline();
        if (outcome.status() != ExecutionStatus.SUCCEEDED) {
            threads.interruptAll();
        }
    }

    /** Records an event with details of a form {@link EventDetails} has no record for. */
    long record(String type, long previous, ObjectNode details) {
        return record(type, previous, details == null ? null : new EventDetails.Tree(details));
    }

    /** Records an event unless the execution already ended; returns its id (or the last id). */
    long record(String type, long previous, EventDetails details) {
        lock.lock();
        try {
            if (ended) {
                throw Stopped.INSTANCE;
            }
            if (replay.active()) {
                HistoryEvent recorded = replay.take(previous, e -> e.type().equals(type) && HistoryReplay.sameKey(e.content(), details));
                if (recorded != null) {
                    return recorded.id();
                }
            }
            return history.append(type, previous, clock.now(), details, null);
        } finally {
            lock.unlock();
        }
    }

    /** Hands what was recorded to the recorder; every thread of control calls it before it waits or ends. */
    void flush() {
        lock.lock();
        try {
            history.flush(null);
        } finally {
            lock.unlock();
        }
    }

    /** Hands what was recorded to the recorder; {@code onDurable} runs once it is stored. */
    void flush(Runnable onDurable) {
        lock.lock();
        try {
            history.flush(onDurable);
        } finally {
            lock.unlock();
        }
    }

    /** Whether a replay is over (or there was none): every recorded event has been taken again. */
    boolean replayDone() {
        lock.lock();
        try {
            return !replay.active();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the event with this id was recorded before a restart (and is being replayed). */
    boolean replayed(long id) {
        return replay.recorded(id);
    }

    HistoryEvent event(long id) {
        lock.lock();
        try {
            return history.event(id);
        } finally {
            lock.unlock();
        }
    }

    /** How many times the execution was redriven after event {@code id} was recorded before this run. */
    int redrivesAfter(long id) {
        return replay.redrivesAfter(id);
    }

    /**
     * During a replay: the recorded event that follows {@code previous} and {@code matches}, taken in the
     * order of the original run; {@code null} once this thread of control has reached the end of what was recorded.
     */
    HistoryEvent replayed(long previous, java.util.function.Predicate<HistoryEvent> matches) {
        lock.lock();
        try {
            return replay.take(previous, matches);
        } finally {
            lock.unlock();
        }
    }

    /** Hands what was recorded to the recorder, by a thread holding the lock (a replay's wait). */
    void flushHolding() {
        history.flush(null);
    }

    private void failStalled(long at) {
        finish(new ExecutionOutcome.Failed(StateFailure.RUNTIME, "The execution cannot continue after the restart: "
                + "its recorded history does not follow from its definition at event " + at
                + " (was the definition changed in place?)"), "ExecutionFailed", "executionFailedEventDetails");
    }

    void alive() {
        if (ended || Thread.currentThread().isInterrupted()) {
            throw Stopped.INSTANCE;
        }
    }
}
