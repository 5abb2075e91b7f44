package com.orderflow.local.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

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
    private final JsonNode input;
    final TaskInvoker tasks;
    private final HistoryRecorder recorder;
    final EngineClock clock;
    private final Consumer<ExecutionRun> onEnd;
    final String region;

    private final Object lock = new Object();
    private final List<HistoryEvent> events = new ArrayList<>(24);
    private long lastEventId;
    volatile boolean ended;
    private volatile ExecutionStatus status = ExecutionStatus.RUNNING;
    private final CompletableFuture<ExecutionOutcome> completion = new CompletableFuture<>();
    final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private Thread watchdog;
    private final TaskStep taskStep = new TaskStep(this);
    private final BranchSteps branchSteps = new BranchSteps(this);
    /** The history recorded before a restart, consumed as the execution finds its way back; null once done. */
    private HistoryReplay replay;
    /** Events up to this id were recorded before a restart. */
    private final long recordedCount;

    ExecutionRun(DefinitionCompiler.Compiled definition, ExecutionIdentity identity, JsonNode input,
                 TaskInvoker tasks, HistoryRecorder recorder, EngineClock clock, Consumer<ExecutionRun> onEnd,
                 List<HistoryEvent> recorded) {
        this.definition = definition;
        this.identity = identity;
        this.input = input == null ? JsonText.NODES.objectNode() : input.deepCopy();
        this.tasks = tasks;
        this.recorder = recorder;
        this.clock = clock;
        this.onEnd = onEnd;
        this.region = TaskResource.regionOf(identity.executionArn());
        this.recordedCount = recorded.size();
        if (!recorded.isEmpty()) {
            events.addAll(recorded);
            lastEventId = recorded.getLast().id();
            replay = new HistoryReplay(recorded);
        }
    }

    /**
     * Records ExecutionStarted, waits until it is durable, then runs the execution.
     *
     * @throws HistoryUnavailableException when the start could not be made durable: the execution does not exist
     */
    void begin(Duration durableWithin) {
        ObjectNode details = JsonText.NODES.objectNode();
        ObjectNode started = details.putObject("executionStartedEventDetails");
        started.put("input", JsonText.write(input));
        started.set("inputDetails", NOT_TRUNCATED);
        if (identity.roleArn() != null) {
            started.put("roleArn", identity.roleArn());
        }
        var durable = new CompletableFuture<Void>();
        synchronized (lock) {
            append("ExecutionStarted", 0, details, () -> durable.complete(null));
        }
        try {
            durable.get(durableWithin.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // it may still reach the disk (the store retries): then it exists from that moment, and runs
            durable.thenRun(this::run);
            throw new HistoryUnavailableException("the execution could not be stored within "
                    + durableWithin.toSeconds() + " s", this);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            durable.thenRun(this::run);
            throw new HistoryUnavailableException("interrupted before the execution was stored", this);
        }
        run();
    }

    /** Carries on an execution whose history was recorded before a restart. */
    void resume() {
        synchronized (lock) {
            replay.consume(events.getFirst());
        }
        run();
    }

    private void run() {
        if (definition.timeoutSeconds() != null) {
            Instant deadline = identity.startTime().plusSeconds(definition.timeoutSeconds());
            watchdog = Thread.ofVirtual().start(() -> {
                try {
                    sleepUntil(deadline);
                    finish(new ExecutionOutcome.TimedOut(StateFailure.TIMEOUT, null), "ExecutionTimedOut",
                            "executionTimedOutEventDetails");
                } catch (InterruptedException e) {
                    // the execution ended first
                }
            });
        }
        Thread.ofVirtual().start(this::runMain);
    }

    /** Stops every thread of control without recording anything (the engine is shutting down). */
    void suspend() {
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = true;
            lock.notifyAll();
        }
        if (watchdog != null) {
            watchdog.interrupt();
        }
        for (Thread t : threads) {
            t.interrupt();
        }
    }

    void sleepUntil(Instant deadline) throws InterruptedException {
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
        synchronized (lock) {
            return List.copyOf(events);
        }
    }

    @Override
    public void stop(String error, String cause) {
        finish(new ExecutionOutcome.Aborted(error, cause), "ExecutionAborted", "executionAbortedEventDetails");
    }

    // ---- driving ---------------------------------------------------------------------------

    private void runMain() {
        Thread self = Thread.currentThread();
        threads.add(self);
        try {
            JsonNode output = runGraph(definition.graph(), input, new Cursor(1, new Variables(null)));
            String text = JsonText.write(output);
            ObjectNode details = JsonText.NODES.objectNode();
            ObjectNode d = details.putObject("executionSucceededEventDetails");
            d.put("output", text);
            d.set("outputDetails", NOT_TRUNCATED);
            finish(new ExecutionOutcome.Succeeded(output), "ExecutionSucceeded", details);
        } catch (StateFailure f) {
            finish(new ExecutionOutcome.Failed(f.error(), f.cause()), "ExecutionFailed", "executionFailedEventDetails");
        } catch (Stopped s) {
            // ended by stop or timeout
        } catch (RuntimeException e) {
            finish(new ExecutionOutcome.Failed(StateFailure.RUNTIME, "Internal engine error: " + e),
                    "ExecutionFailed", "executionFailedEventDetails");
        } finally {
            threads.remove(self);
        }
    }

    private void finish(ExecutionOutcome outcome, String type, String detailsField) {
        ObjectNode details = JsonText.NODES.objectNode();
        ObjectNode d = details.putObject(detailsField);
        String error = switch (outcome) {
            case ExecutionOutcome.Failed f -> f.error();
            case ExecutionOutcome.TimedOut t -> t.error();
            case ExecutionOutcome.Aborted a -> a.error();
            case ExecutionOutcome.Succeeded s -> null;
        };
        String cause = switch (outcome) {
            case ExecutionOutcome.Failed f -> f.cause();
            case ExecutionOutcome.TimedOut t -> t.cause();
            case ExecutionOutcome.Aborted a -> a.cause();
            case ExecutionOutcome.Succeeded s -> null;
        };
        if (error != null) {
            d.put("error", error);
        }
        if (cause != null) {
            d.put("cause", cause);
        }
        finish(outcome, type, details);
    }

    private void finish(ExecutionOutcome outcome, String type, ObjectNode details) {
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = true;
            status = outcome.status();
            lock.notifyAll();
            // the outcome is reported once its event is durable
            append(type, lastEventId, details, () -> {
                if (onEnd != null) {
                    onEnd.accept(this);
                }
                completion.complete(outcome);
            });
        }
        if (watchdog != null) {
            watchdog.interrupt();
        }
        if (outcome.status() != ExecutionStatus.SUCCEEDED) {
            for (Thread t : threads) {
                t.interrupt();
            }
        }
    }

    /** Records an event unless the execution already ended; returns its id (or the last id). */
    long record(String type, long previous, ObjectNode details) {
        synchronized (lock) {
            if (ended) {
                throw Stopped.INSTANCE;
            }
            if (replay != null) {
                HistoryEvent recorded = replayed(previous, e -> e.type().equals(type) && HistoryReplay.sameKey(e.details(), details));
                if (recorded != null) {
                    return recorded.id();
                }
            }
            return append(type, previous, details, null);
        }
    }

    private long append(String type, long previous, ObjectNode details, Runnable onDurable) {
        long id = ++lastEventId;
        var event = new HistoryEvent(id, previous, clock.now(), type, details);
        events.add(event);
        recorder.record(event, onDurable);
        return id;
    }

    /** Whether a replay is over (or there was none): every recorded event has been taken again. */
    boolean replayDone() {
        synchronized (lock) {
            return replay == null;
        }
    }

    /** Whether the event with this id was recorded before a restart (and is being replayed). */
    boolean replayed(long id) {
        return id <= recordedCount;
    }

    HistoryEvent event(long id) {
        synchronized (lock) {
            return events.get((int) id - 1);
        }
    }

    /**
     * During a replay: the recorded event that follows {@code previous} and {@code matches}, taken in the
     * order of the original run (so sibling branches interleave as they did); {@code null} once this thread
     * of control has reached the end of what was recorded and every other recorded event is taken too.
     */
    HistoryEvent replayed(long previous, java.util.function.Predicate<HistoryEvent> matches) {
        synchronized (lock) {
            while (replay != null) {
                if (replay.done()) {
                    replay = null;
                    lock.notifyAll();
                    return null;
                }
                HistoryEvent candidate = replay.next(previous, matches);
                if (candidate != null && candidate.id() == replay.lowest()) {
                    replay.consume(candidate);
                    lock.notifyAll();
                    return candidate;
                }
                awaitReplayProgress();
            }
            return null;
        }
    }

    /** Waits (holding no thread but a virtual one) for another thread of control to take its recorded event. */
    private void awaitReplayProgress() {
        if (ended) {
            throw Stopped.INSTANCE;
        }
        if (System.nanoTime() - replay.lastProgress > HistoryReplay.STALL_NANOS) {
            long at = replay.lowest();
            replay = null;
            finish(new ExecutionOutcome.Failed(StateFailure.RUNTIME, "The execution cannot continue after the restart: "
                    + "its recorded history does not follow from its definition at event " + at
                    + " (was the definition changed in place?)"), "ExecutionFailed", "executionFailedEventDetails");
            throw Stopped.INSTANCE;
        }
        try {
            lock.wait(100);
        } catch (InterruptedException e) {
            throw Stopped.INSTANCE;
        }
        if (ended) {
            throw Stopped.INSTANCE;
        }
    }

    void alive() {
        if (ended || Thread.currentThread().isInterrupted()) {
            throw Stopped.INSTANCE;
        }
    }

    /** Where the next event of one thread of control follows from. */
    static final class Cursor {
        final long origin;
        long last;
        /** Counted down once this thread of control has entered its first state (Parallel branches). */
        CountDownLatch firstEntry;
        final Variables variables;
        /** What the current state's Assign set, reported in its StateExited event. */
        ObjectNode assigned;
        /** The last state's output and its JSON text: the next state's input, written once for both events. */
        JsonNode lastOutput;
        String lastOutputText;

        Cursor(long last, Variables variables) {
            this.origin = last;
            this.last = last;
            this.variables = variables;
        }
    }

    /** A state's outcome: the next state (null at the end of a graph) and the state output. */
    record Step(String next, JsonNode output) {
    }

    JsonNode runGraph(State.Graph graph, JsonNode data, Cursor cursor) {
        String name = graph.startAt();
        while (true) {
            alive();
            State state = graph.states().get(name);
            Step step = runState(state, data, cursor);
            if (step.next() == null) {
                return step.output();
            }
            name = step.next();
            data = step.output();
        }
    }

    private Step runState(State state, JsonNode raw, Cursor cursor) {
        String inputText = raw == cursor.lastOutput ? cursor.lastOutputText : JsonText.write(raw);
        long entered = record(state.eventPrefix() + "StateEntered", cursor.last,
                stateDetails("stateEnteredEventDetails", state.name(), "input", inputText));
        cursor.last = entered;
        if (cursor.firstEntry != null) {
            cursor.firstEntry.countDown();
            cursor.firstEntry = null;
        }
        var scope = new StateScope(identity, input, state.name(), event(entered).timestamp(), cursor.variables);
        try {
            return switch (state) {
                case State.Pass p -> exit(p, cursor, pass(p, raw, scope, cursor), p.next());
                case State.Succeed s -> exit(s, cursor, outputPath(s.io(), inputPath(s.io(), raw)), null);
                case State.Choice c -> choice(c, raw, scope, cursor);
                case State.Wait w -> waitState(w, raw, scope, cursor);
                case State.Fail f -> throw fail(f, raw, scope);
                case State.Task t -> withRetry(t, t.retry(), t.catchers(), raw, scope, cursor, entered,
                        () -> taskStep.task(t, raw, scope, cursor));
                case State.Parallel p -> withRetry(p, p.retry(), p.catchers(), raw, scope, cursor, entered,
                        () -> branchSteps.parallel(p, raw, scope, cursor));
                case State.MapState m -> withRetry(m, m.retry(), m.catchers(), raw, scope, cursor, entered,
                        () -> branchSteps.map(m, raw, scope, cursor));
            };
        } catch (StateFailure f) {
            throw f.located(state.name(), entered);
        }
    }

    Step exit(State state, Cursor cursor, JsonNode output, String next) {
        String text = JsonText.write(output);
        checkSize(state.name(), text);
        ObjectNode details = stateDetails("stateExitedEventDetails", state.name(), "output", text);
        if (cursor.assigned != null) {
            ObjectNode d = (ObjectNode) details.get("stateExitedEventDetails");
            ObjectNode vars = d.putObject("assignedVariables");
            cursor.assigned.properties().forEach(e -> vars.put(e.getKey(), JsonText.write(e.getValue())));
            d.putObject("assignedVariablesDetails").put("truncated", false);
            cursor.assigned = null;
        }
        cursor.last = record(state.eventPrefix() + "StateExited", cursor.last, details);
        if (replayed(cursor.last)) {
            // what the state produced before the restart stands, even where it is not reproducible ($$ times, UUIDs)
            JsonNode recorded = event(cursor.last).details().path("stateExitedEventDetails");
            output = JsonText.readValue(recorded.path("output").asText());
            text = recorded.path("output").asText();
            JsonNode vars = recorded.path("assignedVariables");
            if (vars.isObject() && !vars.isEmpty()) {
                ObjectNode restored = JsonText.NODES.objectNode();
                vars.properties().forEach(e -> restored.set(e.getKey(), JsonText.readValue(e.getValue().asText())));
                cursor.variables.assign(restored);
            }
        }
        cursor.lastOutput = output;
        cursor.lastOutputText = text;
        return new Step(next, output);
    }

    static void checkSize(String name, String text) {
        if (text.length() > MAX_PAYLOAD_BYTES / 4 && JsonText.utf8Length(text) > MAX_PAYLOAD_BYTES) {
            throw StateFailure.engine(StateFailure.DATA_LIMIT_EXCEEDED, "The state/task '" + name
                    + "' returned a result with a size exceeding the maximum number of bytes service limit.");
        }
    }

    private static ObjectNode stateDetails(String field, String name, String dataField, String data) {
        ObjectNode details = JsonText.NODES.objectNode();
        ObjectNode d = details.putObject(field);
        d.put("name", name);
        d.put(dataField, data);
        d.set(dataField + "Details", NOT_TRUNCATED);
        return details;
    }

    // ---- data flow -------------------------------------------------------------------------

    static JsonNode inputPath(State.DataFlow io, JsonNode raw) {
        return select(io.inputPath(), raw);
    }

    private static JsonNode outputPath(State.DataFlow io, JsonNode data) {
        return select(io.outputPath(), data);
    }

    static JsonNode select(AslPath path, JsonNode data) {
        if (path == null) {
            return JsonText.NODES.objectNode();
        }
        if (path.isRoot()) {
            return data;
        }
        JsonNode value = path.read(data);
        if (value == null) {
            throw StateFailure.engine(StateFailure.RUNTIME, "Invalid path '" + path.text() + "' : "
                    + path.whyMissing(data));
        }
        return value;
    }

    JsonNode parameters(State.DataFlow io, JsonNode effective, StateScope scope) {
        return io.parameters() == null ? effective : io.parameters().evaluate(scope.on(effective));
    }

    JsonNode applyResult(State.DataFlow io, JsonNode raw, JsonNode result, StateScope scope, Cursor cursor) {
        if (io.resultSelector() != null) {
            result = io.resultSelector().evaluate(scope.on(result));
        }
        // Assign sees the (selected) result; its variables are not visible to this state's own output.
        assign(io.assign(), result, scope, cursor);
        JsonNode combined;
        if (io.resultPath() == null) {
            combined = raw;
        } else {
            combined = io.resultPath().set(raw, result);
            if (combined == null) {
                throw StateFailure.engine(StateFailure.RESULT_PATH_MATCH_FAILURE, "Unable to apply ResultPath '"
                        + io.resultPath().text() + "' to input '" + JsonText.write(raw) + "'");
            }
        }
        return outputPath(io, combined);
    }

    // ---- state types -----------------------------------------------------------------------

    private JsonNode pass(State.Pass p, JsonNode raw, StateScope scope, Cursor cursor) {
        JsonNode effective = parameters(p.io(), inputPath(p.io(), raw), scope);
        JsonNode result = p.result() != null ? p.result() : effective;
        return applyResult(p.io(), raw, result, scope, cursor);
    }

    /** Evaluates an Assign block against {@code data} and sets its variables together. */
    private static void assign(PayloadTemplate assign, JsonNode data, StateScope scope, Cursor cursor) {
        if (assign != null) {
            ObjectNode values = (ObjectNode) assign.evaluate(scope.on(data));
            cursor.variables.assign(values);
            cursor.assigned = values;
        }
    }

    private Step choice(State.Choice c, JsonNode raw, StateScope scope, Cursor cursor) {
        JsonNode effective = inputPath(c.io(), raw);
        StateScope on = scope.on(effective);
        ChoiceRule.Branch matched = null;
        for (ChoiceRule.Branch b : c.choices()) {
            if (b.rule().test(on)) {
                matched = b;
                break;
            }
        }
        String next = matched != null ? matched.next() : c.defaultNext();
        if (next == null) {
            throw StateFailure.engine(StateFailure.NO_CHOICE_MATCHED,
                    "No Choice Rules matched the input and no Default was specified.");
        }
        JsonNode output = outputPath(c.io(), effective);
        if (matched != null && matched.assign() != null) {
            assign(matched.assign(), effective, scope, cursor);
        } else {
            assign(c.io().assign(), effective, scope, cursor);
        }
        return exit(c, cursor, output, next);
    }

    private Step waitState(State.Wait w, JsonNode raw, StateScope scope, Cursor cursor) {
        JsonNode effective = inputPath(w.io(), raw);
        // a deadline from the state's entry, so that a restart keeps it
        Instant deadline;
        if (w.seconds() != null) {
            deadline = scope.enteredTime().plusSeconds(w.seconds());
        } else if (w.timestamp() != null) {
            deadline = w.timestamp();
        } else if (w.secondsPath() != null) {
            String p = w.secondsPath().text();
            JsonNode v = w.secondsPath().read(effective);
            if (v == null) {
                throw StateFailure.engine(StateFailure.RUNTIME,
                        "The SecondsPath parameter does not reference an input value: " + p);
            }
            if (!v.isIntegralNumber()) {
                throw StateFailure.engine(StateFailure.RUNTIME,
                        "The SecondsPath parameter does not reference a valid integer value: " + p + " == " + plain(v));
            }
            if (v.asLong() < 0) {
                throw StateFailure.engine(StateFailure.RUNTIME,
                        "The SecondsPath parameter references a negative value: " + p + " == " + plain(v));
            }
            deadline = scope.enteredTime().plusSeconds(v.asLong());
        } else {
            String p = w.timestampPath().text();
            JsonNode v = w.timestampPath().read(effective);
            if (v == null) {
                throw StateFailure.engine(StateFailure.RUNTIME,
                        "The TimestampPath parameter does not reference an input value: " + p);
            }
            Instant at = v.isTextual() ? ChoiceRule.timestamp(v.textValue()) : null;
            if (at == null) {
                throw StateFailure.engine(StateFailure.RUNTIME, "The TimestampPath parameter does not reference a "
                        + "valid ISO-8601 extended offset date-time format string: " + p + " == " + plain(v));
            }
            deadline = at;
        }
        try {
            sleepUntil(deadline);
        } catch (InterruptedException e) {
            throw Stopped.INSTANCE;
        }
        JsonNode output = outputPath(w.io(), effective);
        assign(w.io().assign(), effective, scope, cursor);
        return exit(w, cursor, output, w.next());
    }

    private static String plain(JsonNode v) {
        return v.isTextual() ? v.textValue() : JsonText.write(v);
    }

    private StateFailure fail(State.Fail f, JsonNode raw, StateScope scope) {
        String error = f.error();
        String cause = f.cause();
        if (f.errorPath() != null) {
            error = dynamicText(f.errorPath(), raw, scope);
        }
        if (f.causePath() != null) {
            cause = dynamicText(f.causePath(), raw, scope);
        }
        return new StateFailure(error, cause);
    }

    private static String dynamicText(PayloadTemplate template, JsonNode raw, StateScope scope) {
        JsonNode v = template.evaluate(scope.on(raw));
        return v.isTextual() ? v.textValue() : JsonText.write(v);
    }

    /** Runs a Task/Parallel/Map attempt under its Retry and Catch rules. */
    private Step withRetry(State state, List<State.Retrier> retriers, List<State.Catcher> catchers, JsonNode raw,
                           StateScope scope, Cursor cursor, long entered, Supplier<Step> attempt) {
        int[] attempts = new int[retriers.size()];
        while (true) {
            try {
                return attempt.get();
            } catch (StateFailure raised) {
                StateFailure f = raised.located(state.name(), entered);
                if (f.terminal()) {
                    throw f;
                }
                int r = RetryPolicy.matching(retriers.stream().map(State.Retrier::errorEquals).toList(), f.error());
                if (r >= 0 && attempts[r] < retriers.get(r).maxAttempts()) {
                    // the same jitter draw after a restart, so the backoff keeps its deadline
                    long seed = identity.executionArn().hashCode() * 0x9E3779B97F4A7C15L + entered * 31 + scope.retryCount;
                    double delay = RetryPolicy.delaySeconds(retriers.get(r), attempts[r], seed);
                    attempts[r]++;
                    scope.retryCount++;
                    // counted from the failure, so a restart during the backoff keeps the deadline
                    Instant deadline = event(cursor.last).timestamp().plusNanos((long) (delay * 1e9));
                    try {
                        sleepUntil(deadline);
                    } catch (InterruptedException e) {
                        throw Stopped.INSTANCE;
                    }
                    alive();
                    continue;
                }
                int c = RetryPolicy.matching(catchers.stream().map(State.Catcher::errorEquals).toList(), f.error());
                if (c < 0) {
                    throw f;
                }
                State.Catcher catcher = catchers.get(c);
                ObjectNode errorOutput = JsonText.NODES.objectNode();
                errorOutput.put("Error", f.error());
                if (f.cause() != null) {
                    errorOutput.put("Cause", f.cause());
                }
                JsonNode output;
                if (catcher.resultPath() == null) {
                    output = raw;
                } else {
                    output = catcher.resultPath().set(raw, errorOutput);
                    if (output == null) {
                        throw StateFailure.engine(StateFailure.RUNTIME, "Unable to apply ResultPath '"
                                + catcher.resultPath().text() + "' to input '" + JsonText.write(raw) + "'")
                                .located(state.name(), entered);
                    }
                }
                assign(catcher.assign(), errorOutput, scope, cursor);
                return exit(state, cursor, output, catcher.next());
            }
        }
    }

    // ---- context object ------------------------------------------------------------------------

    /** Unwinds a thread of control after StopExecution, a timeout or a failed sibling. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Stopped INSTANCE = new Stopped();

        private Stopped() {
            super("stopped", null, false, false);
        }
    }
}
