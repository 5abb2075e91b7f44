package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.ApiJson.epochSeconds;
import static com.orderflow.local.sfn.ApiJson.object;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.ExecutionOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;

/**
 * What this process saw of its recent Express executions, for the execution view: each run's status, input, output,
 * error and cause, start and stop, and the billing details StartSyncExecution answered. The Step Functions API keeps
 * none of it (as on AWS, whose console reads Express runs from CloudWatch Logs instead); this stands in for that log.
 * It holds no events, lives in memory only, and is bounded: past {@link #MAX_RUNS} runs or
 * {@link #MAX_PAYLOAD_CHARS} characters of payload, the oldest runs are dropped.
 */
public final class ExpressRunLog {

    static final int MAX_RUNS = 500;
    static final long MAX_PAYLOAD_CHARS = 8L * 1024 * 1024;
    /** The members a listing shows; the payloads are only on the run itself. */
    private static final List<String> LISTED = List.of("executionArn", "stateMachineArn", "name", "status", "startDate",
            "stopDate", "startedBy");

    /** Oldest first, so eviction takes the head. */
    private final LinkedHashMap<String, ObjectNode> byArn = new LinkedHashMap<>();
    private long payloadChars;

    /** A run that has started: RUNNING, with its input; {@code startedBy} is the operation that started it. */
    synchronized void started(ExecutionIdentity identity, String input, String startedBy) {
        var run = object();
        run.put("executionArn", identity.executionArn());
        run.put("stateMachineArn", identity.stateMachineArn());
        run.put("name", identity.name());
        run.put("status", "RUNNING");
        run.set("startDate", epochSeconds(identity.startTime()));
        run.put("input", input);
        run.put("startedBy", startedBy);
        put(run);
    }

    /** The run's outcome, unless StartSyncExecution already recorded what it answered. */
    synchronized void ended(String executionArn, ExecutionOutcome outcome, Instant stop) {
        var run = byArn.get(executionArn);
        if (run == null || run.has("stopDate")) {
            return;
        }
        var ended = run.deepCopy();
        ended.put("status", outcome.status().name());
        ended.set("stopDate", epochSeconds(stop));
        switch (outcome) {
            case ExecutionOutcome.Succeeded s -> ended.put("output", s.output().toString());
            case ExecutionOutcome.Failed f -> errorAndCause(ended, f.error(), f.cause());
            case ExecutionOutcome.TimedOut t -> errorAndCause(ended, t.error(), t.cause());
            case ExecutionOutcome.Aborted a -> errorAndCause(ended, a.error(), a.cause());
        }
        put(ended);
    }

    /** What StartSyncExecution answered for the run, billing details included: that answer is the record. */
    synchronized void answered(ObjectNode syncResponse) {
        var run = syncResponse.deepCopy();
        run.put("startedBy", "StartSyncExecution");
        put(run);
    }

    /** The recorded runs, newest first, without their payloads. */
    public synchronized List<ObjectNode> listNewestFirst() {
        var listed = new ArrayList<ObjectNode>(byArn.size());
        for (ObjectNode run : byArn.values()) {
            var item = object();
            LISTED.forEach(member -> {
                if (run.has(member)) {
                    item.set(member, run.get(member));
                }
            });
            listed.add(item);
        }
        return listed.reversed();
    }

    /** The whole record of one run, if it is still held. */
    public synchronized Optional<ObjectNode> find(String executionArn) {
        return Optional.ofNullable(byArn.get(executionArn)).map(ObjectNode::deepCopy);
    }

    private void put(ObjectNode run) {
        // a run seen again (its end, its sync answer) keeps its place: the map's order is by start
        var previous = byArn.put(run.path("executionArn").asText(), run);
        if (previous != null) {
            payloadChars -= payload(previous);
        }
        payloadChars += payload(run);
        while ((byArn.size() > MAX_RUNS || payloadChars > MAX_PAYLOAD_CHARS) && byArn.size() > 1) {
            payloadChars -= payload(byArn.pollFirstEntry().getValue());
        }
    }

    private static long payload(ObjectNode run) {
        return run.path("input").asText("").length() + (long) run.path("output").asText("").length()
                + run.path("cause").asText("").length();
    }

    private static void errorAndCause(ObjectNode run, String error, String cause) {
        if (error != null) {
            run.put("error", error);
        }
        if (cause != null) {
            run.put("cause", cause);
        }
    }
}
