package com.orderflow.local.engine.run;

import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.InvalidDefinitionException;
import com.orderflow.local.engine.MapRunHost;
import com.orderflow.local.engine.definition.State;
import com.orderflow.local.engine.definition.StateMachineDefinition;
import com.orderflow.local.engine.expr.JsonText;
import com.orderflow.local.engine.expr.StateFailure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A DISTRIBUTED Map: one Map Run whose items (or batches) each run as a child execution of the item processor, at
 * most MaxConcurrency at a time, failing with States.ExceedToleratedFailureThreshold once more items failed than it
 * tolerates. Map Run and child ARNs follow from the parent's recorded MapStateStarted event, so after a restart the
 * same run takes up the same children: ended ones are not run again. A redrive of the parent redrives the same Map
 * Run (MapRunRedriven): its children that succeeded stand, those that did not are redriven, those never started start.
 */
final class DistributedMapStep {

    static final String THRESHOLD_EXCEEDED = "States.ExceedToleratedFailureThreshold";
    private static final String THRESHOLD_CAUSE = "The specified tolerated failure threshold was exceeded";
    /** At most this many children run at once locally when MaxConcurrency is 0 (AWS: up to 10,000). */
    static final int LOCAL_CONCURRENCY_LIMIT = 1000;
    private static final long SETTINGS_POLL_MILLIS = 200;

    private final ExecutionRun run;

    DistributedMapStep(ExecutionRun run) {
        this.run = run;
    }

    Step map(State.MapState m, JsonNode raw, StateScope scope, Cursor cursor) {
        State.Distributed d = m.distributed();
        JsonNode effective = m.io().effectiveInput(raw, scope);
        ArrayNode inline = d.reader() == null ? BranchSteps.items(m, effective, scope) : null;
        // as AWS records it: a Map that reads its items does not know their number yet
        ObjectNode startedDetails = JsonText.NODES.objectNode();
        startedDetails.putObject("mapStateStartedEventDetails").put("length", inline == null ? 0 : inline.size());
        long started = run.record("MapStateStarted", cursor.last, startedDetails);
        cursor.last = started;
        int maxConcurrency = BranchSteps.maxConcurrency(m, effective, scope);
        var tolerance = Tolerance.of(d, effective);
        int maxItems = d.reader() == null ? 0 : MapItems.maxItems(d.reader(), effective);
        String mapRunArn = arn("mapRun", d.label()) + ":" + uuid(run.identity.executionArn() + "#" + started);
        ObjectNode runDetails = JsonText.NODES.objectNode();
        runDetails.putObject("mapRunStartedEventDetails").put("mapRunArn", mapRunArn);
        long runStarted = run.record("MapRunStarted", cursor.last, runDetails);
        cursor.last = runStarted;
        // each redrive of the parent since this Map Run started found it unfinished: as on AWS, the run is redriven
        int redrives = run.redrivesAfter(runStarted);
        if (redrives > 0) {
            ObjectNode redriven = JsonText.NODES.objectNode();
            redriven.putObject("mapRunRedrivenEventDetails").put("mapRunArn", mapRunArn).put("redriveCount", redrives);
            cursor.last = run.record("MapRunRedriven", cursor.last, redriven);
        }
        run.flush();
        ArrayNode items;
        try {
            items = inline != null ? inline : MapItems.read(d.reader(), maxItems, effective, scope, run.mapRuns.objects());
        } catch (StateFailure f) {
            throw mapRunFailed(cursor, f);
        }
        List<JsonNode> selected = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            selected.add(m.itemSelector() == null ? items.get(i)
                    : m.itemSelector().evaluate(scope.onItem(effective, i, items.get(i))));
        }
        List<Integer> sizes = new ArrayList<>();
        List<JsonNode> inputs = MapItems.childInputs(d.batcher(), selected, effective, scope, sizes);
        ObjectNode description = JsonText.NODES.objectNode();
        description.put("mapRunArn", mapRunArn).put("executionArn", run.identity.executionArn())
                .put("startDate", run.event(runStarted).timestamp().toString()).put("maxConcurrency", maxConcurrency)
                .put("toleratedFailurePercentage", tolerance.percentage()).put("toleratedFailureCount", tolerance.count())
                .put("byPercentage", tolerance.byPercentage()).put("byCount", tolerance.byCount())
                .put("defaultTolerance", tolerance.byDefault())
                .put("itemCount", items.size()).put("executionCount", inputs.size())
                .put("batched", d.batcher() != null).put("writesResults", d.writer() != null);
        run.mapRuns.mapRunStarted(description);
        if (run.mapRuns.settings(mapRunArn) == null) {
            throw StateFailure.engine(StateFailure.RUNTIME, "The Distributed Map '" + m.name()
                    + "' cannot run: this engine has no host for its child executions");
        }

        MapRunResults.Ended[] ended = runChildren(m, d, mapRunArn, inputs, sizes, redrives);
        boolean exceeded = current(mapRunArn).tolerance().exceeded(ended, sizes, items.size());
        JsonNode output = d.writer() != null
                ? MapRunResults.write(d.writer(), mapRunArn, ended, effective, scope, run.mapRuns.objects())
                : MapRunResults.outputs(ended);
        if (exceeded) {
            throw mapRunFailed(cursor, new StateFailure(THRESHOLD_EXCEEDED, THRESHOLD_CAUSE));
        }
        cursor.last = run.record("MapRunSucceeded", cursor.last, JsonText.NODES.objectNode());
        cursor.last = run.record("MapStateSucceeded", cursor.last, JsonText.NODES.objectNode());
        return run.walk.exit(m, cursor, StateIo.applyResult(m.io(), raw, output, scope, cursor), m.next());
    }

    /**
     * Runs the children in item order, at most the Map Run's current MaxConcurrency at a time; stops starting more
     * (and stops those running) once the failures pass its tolerance. A slot never started stays null.
     */
    private MapRunResults.Ended[] runChildren(State.MapState m, State.Distributed d, String mapRunArn, List<JsonNode> inputs,
                                              List<Integer> sizes, int redrives) {
        StateMachineDefinition definition;
        try {
            definition = StateMachineDefinition.parse(d.childDefinition());
        } catch (InvalidDefinitionException e) {
            throw StateFailure.engine(StateFailure.RUNTIME, "The item processor of '" + m.name() + "' cannot run: "
                    + e.getMessage());
        }
        int n = inputs.size();
        int total = sizes.stream().mapToInt(Integer::intValue).sum();
        var ended = new MapRunResults.Ended[n];
        var children = new MapRunHost.Child[n];
        var done = new LinkedBlockingQueue<Integer>();
        String childMachineArn = arn("stateMachine", d.label());
        int next = 0;
        int running = 0;
        boolean exceeded = false;
        try {
            while (true) {
                var settings = current(mapRunArn);
                while (!exceeded && next < n && running < settings.limit()) {
                    String name = uuid(mapRunArn + "#" + next);
                    children[next] = new MapRunHost.Child(mapRunArn, arn("execution", d.label()) + ":" + name, name,
                            childMachineArn, run.identity.stateMachineName() + "/" + d.label(),
                            d.executionType().equals("EXPRESS"), definition, inputs.get(next), run.tasks, redrives);
                    launch(children[next], next, ended, done);
                    next++;
                    running++;
                }
                if (running == 0) {
                    return ended;
                }
                // UpdateMapRun may change the settings meanwhile: they are read again every little while
                if (done.poll(SETTINGS_POLL_MILLIS, TimeUnit.MILLISECONDS) == null) {
                    continue;
                }
                running--;
                exceeded = exceeded || current(mapRunArn).tolerance().exceeded(ended, sizes, total);
                if (exceeded) {
                    stopRunning(children, ended, "States.ExceedToleratedFailureThreshold", THRESHOLD_CAUSE);
                }
            }
        } catch (InterruptedException e) {
            stopRunning(children, ended, "States.Aborted", "the parent execution's Map Run was stopped");
            throw Stopped.INSTANCE;
        }
    }

    /** Records MapRunFailed with the failure and MapStateFailed; the failure goes on to fail the state. */
    private StateFailure mapRunFailed(Cursor cursor, StateFailure failure) {
        ObjectNode failed = JsonText.NODES.objectNode();
        ObjectNode details = failed.putObject("mapRunFailedEventDetails").put("error", failure.error());
        if (failure.cause() != null) {
            details.put("cause", failure.cause());
        }
        cursor.last = run.record("MapRunFailed", cursor.last, failed);
        cursor.last = run.record("MapStateFailed", cursor.last, JsonText.NODES.objectNode());
        return failure;
    }

    /** The Map Run's concurrency limit and tolerance as its stored description has them now. */
    private record Settings(int limit, Tolerance tolerance) {
    }

    private Settings current(String mapRunArn) {
        JsonNode s = run.mapRuns.settings(mapRunArn);
        int max = s.path("maxConcurrency").asInt();
        return new Settings(max == 0 ? LOCAL_CONCURRENCY_LIMIT : Math.min(max, LOCAL_CONCURRENCY_LIMIT),
                new Tolerance(s.path("toleratedFailurePercentage").asDouble(), s.path("toleratedFailureCount").asInt(),
                        s.path("byPercentage").asBoolean(), s.path("byCount").asBoolean()));
    }

    private void launch(MapRunHost.Child child, int index, MapRunResults.Ended[] ended, LinkedBlockingQueue<Integer> done) {
        Instant startedAt = run.clock.now();
        CompletableFuture<ExecutionOutcome> outcome;
        try {
            outcome = run.mapRuns.run(child);
        } catch (RuntimeException e) {
            outcome = CompletableFuture.completedFuture(new ExecutionOutcome.Failed(StateFailure.RUNTIME,
                    "The child execution could not start: " + e.getMessage()));
        }
        outcome.whenComplete((o, error) -> {
            ExecutionOutcome result = o != null ? o : new ExecutionOutcome.Failed(StateFailure.RUNTIME, String.valueOf(error));
            ended[index] = new MapRunResults.Ended(child.executionArn(), child.name(), child.stateMachineArn(), child.input(),
                    result, startedAt, run.clock.now(), run.mapRuns.redriveCount(child.executionArn()));
            done.add(index);
        });
    }

    private void stopRunning(MapRunHost.Child[] children, MapRunResults.Ended[] ended, String error, String cause) {
        for (int i = 0; i < children.length; i++) {
            if (children[i] != null && ended[i] == null) {
                try {
                    run.mapRuns.stop(children[i].executionArn(), error, cause);
                } catch (RuntimeException e) {
                    // it ended meanwhile
                }
            }
        }
    }

    /** An ARN of this execution's account and region: {@code arn:aws:states:r:a:<type>:<machine>/<label>}. */
    private String arn(String type, String label) {
        String executionArn = run.identity.executionArn();
        String[] parts = executionArn.split(":", 6);
        return String.join(":", parts[0], parts[1], parts[2], parts[3], parts[4], type)
                + ":" + run.identity.stateMachineName() + "/" + label;
    }

    private static String uuid(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** AWS's words for a path that selects no value of the type its field needs. */
    static StateFailure notA(String field, JsonNode value, String type, String path) {
        String text = value == null ? "null" : value.isTextual() ? value.textValue() : JsonText.write(value);
        return StateFailure.engine(StateFailure.RUNTIME, "The " + field + " field refers to value \"" + text
                + "\" which is not a valid " + type + ": " + path);
    }

    /** How many failed items a Map Run tolerates: neither field given tolerates none. */
    record Tolerance(double percentage, int count, boolean byPercentage, boolean byCount) {

        static Tolerance of(State.Distributed d, JsonNode effective) {
            Double pct = d.toleratedFailurePercentage();
            if (d.toleratedFailurePercentagePath() != null) {
                JsonNode v = d.toleratedFailurePercentagePath().read(effective);
                if (v == null || !v.isNumber()) {
                    throw notA("ToleratedFailurePercentagePath", v, "float", d.toleratedFailurePercentagePath().text());
                }
                pct = v.asDouble();
                if (pct < 0 || pct > 100) {
                    throw StateFailure.engine(StateFailure.RUNTIME, "ToleratedFailurePercentage must be between 0 and 100.");
                }
            }
            Integer count = d.toleratedFailureCount();
            if (d.toleratedFailureCountPath() != null) {
                JsonNode v = d.toleratedFailureCountPath().read(effective);
                if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
                    throw notA("ToleratedFailureCountPath", v, "integer", d.toleratedFailureCountPath().text());
                }
                count = v.asInt();
                if (count < 0) {
                    throw StateFailure.engine(StateFailure.RUNTIME, "ToleratedFailureCount cannot be negative.");
                }
            }
            boolean neither = pct == null && count == null;
            return new Tolerance(pct == null ? 0 : pct, count == null ? 0 : count, pct != null || neither,
                    count != null || neither);
        }

        /** Whether neither field was given, so that the run tolerates no failure. */
        boolean byDefault() {
            return byPercentage && byCount && percentage == 0 && count == 0;
        }

        /** Whether the items of the children that did not succeed are more than tolerated. */
        boolean exceeded(MapRunResults.Ended[] ended, List<Integer> sizes, int totalItems) {
            long failed = 0;
            for (int i = 0; i < ended.length; i++) {
                if (ended[i] != null && !(ended[i].outcome() instanceof ExecutionOutcome.Succeeded)) {
                    failed += sizes.get(i);
                }
            }
            return failed > 0 && ((byCount && failed > count)
                    || (byPercentage && totalItems > 0 && failed * 100.0 / totalItems > percentage));
        }
    }
}
