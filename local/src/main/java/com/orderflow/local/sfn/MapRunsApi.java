package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.ApiJson.epochSeconds;
import static com.orderflow.local.sfn.ApiJson.object;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.aws.Arn;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.expr.JsonText;
import com.orderflow.local.store.StoredExecution;
import com.orderflow.local.store.WorkflowStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * ListMapRuns and DescribeMapRun. A Map Run's status and dates come from its parent's history (MapRunStarted and the
 * MapRunSucceeded/MapRunFailed that follows it), its counts from its child executions in the store, its settings
 * from the description stored as it started.
 */
final class MapRunsApi {

    private final ExecutionQueries queries;
    private final MapRunChildren children;
    private final WorkflowStore store;
    private final Clock clock;

    MapRunsApi(ExecutionQueries queries, MapRunChildren children, WorkflowStore store, Clock clock) {
        this.queries = queries;
        this.children = children;
        this.store = store;
        this.clock = clock;
    }

    ObjectNode listMapRuns(ActionRequest request) {
        var parent = queries.execution(request.requiredString("executionArn"));
        List<ObjectNode> runs = new ArrayList<>();
        var history = parent.history();
        for (HistoryEvent e : history) {
            if (e.type().equals("MapRunStarted")) {
                String arn = e.details().path("mapRunStartedEventDetails").path("mapRunArn").asText();
                var item = object();
                item.put("executionArn", parent.executionArn());
                item.put("mapRunArn", arn);
                item.put("stateMachineArn", childMachineArn(arn));
                item.set("startDate", epochSeconds(e.timestamp()));
                Instant stop = end(parent, history, e).stopDate();
                if (stop != null) {
                    item.set("stopDate", epochSeconds(stop));
                }
                runs.add(item);
            }
        }
        var page = NextTokens.page(runs, r -> r.path("mapRunArn").asText(), "ListMapRuns " + parent.executionArn(),
                request.string("nextToken"), request.maxResults());
        var response = object();
        response.putArray("mapRuns").addAll(page.items());
        if (page.nextToken() != null) {
            response.put("nextToken", page.nextToken());
        }
        return response;
    }

    ObjectNode describeMapRun(ActionRequest request) {
        String arn = request.requiredString("mapRunArn");
        var located = locate(arn);
        JsonNode run = located.run();
        var parent = located.parent();
        var history = located.history();
        HistoryEvent started = located.started();
        var end = end(parent, history, started);
        var response = object();
        response.put("mapRunArn", arn);
        response.put("executionArn", parent.executionArn());
        response.put("status", end.status());
        response.set("startDate", epochSeconds(started.timestamp()));
        if (end.stopDate() != null) {
            response.set("stopDate", epochSeconds(end.stopDate()));
        }
        response.put("maxConcurrency", run.path("maxConcurrency").asInt());
        response.put("toleratedFailurePercentage", run.path("toleratedFailurePercentage").asDouble());
        response.put("toleratedFailureCount", run.path("toleratedFailureCount").asLong());
        counts(arn, run, end, response);
        response.put("redriveCount", end.redriveCount());
        if (end.redriveDate() != null) {
            response.set("redriveDate", epochSeconds(end.redriveDate()));
        }
        return response;
    }

    /** Changes a running Map Run's MaxConcurrency and tolerated failures; the children it starts next obey them. */
    ObjectNode updateMapRun(ActionRequest request) {
        String arn = request.requiredString("mapRunArn");
        var located = locate(arn);
        JsonNode run = located.run();
        var parent = located.parent();
        var history = located.history();
        HistoryEvent started = located.started();
        String status = end(parent, history, started).status();
        if (!status.equals("RUNNING")) {
            throw StepFunctionsException.validation("Map Run is " + status + " and cannot be updated: '" + arn + "'");
        }
        var changes = object();
        number(request, "maxConcurrency", 0, 10_000, true).ifPresent(v -> changes.put("maxConcurrency", v.intValue()));
        number(request, "toleratedFailurePercentage", 0, 100, false)
                .ifPresent(v -> changes.put("toleratedFailurePercentage", v.doubleValue()));
        number(request, "toleratedFailureCount", 0, Long.MAX_VALUE, true)
                .ifPresent(v -> changes.put("toleratedFailureCount", v.longValue()));
        boolean percentage = changes.has("toleratedFailurePercentage");
        boolean count = changes.has("toleratedFailureCount");
        if (run.path("defaultTolerance").asBoolean() && (percentage || count)) {
            // the run tolerated nothing by default: now it tolerates what the update names
            changes.put("byPercentage", percentage).put("byCount", count).put("defaultTolerance", false);
        } else {
            changes.put("byPercentage", percentage || run.path("byPercentage").asBoolean());
            changes.put("byCount", count || run.path("byCount").asBoolean());
        }
        children.update(arn, changes);
        return object();
    }

    private static java.util.Optional<Number> number(ActionRequest request, String member, double min, double max,
                                                     boolean integral) {
        JsonNode node = request.body().get(member);
        if (node == null || node.isNull()) {
            return java.util.Optional.empty();
        }
        if (!node.isNumber() || (integral && !node.isIntegralNumber())) {
            throw new StepFunctionsException("SerializationException", "The value of '" + member + "' must be "
                    + (integral ? "an integer" : "a number"));
        }
        if (node.asDouble() < min || node.asDouble() > max) {
            throw StepFunctionsException.validation("1 validation error detected: Value '" + node.asText() + "' at '"
                    + member + "' failed to satisfy constraint: Member must be between " + (long) min + " and "
                    + (max == Long.MAX_VALUE ? "9223372036854775807" : Long.toString((long) max)));
        }
        return java.util.Optional.of(node.numberValue());
    }

    /**
     * itemCounts and executionCounts from the children: those not started yet are pending; of those that did not
     * succeed, a redrive of the Map Run takes those within AWS's limits again (pendingRedrive while it is running and
     * has not taken them yet), the others are failuresNotRedrivable.
     */
    private void counts(String arn, JsonNode run, End end, ObjectNode response) {
        var executions = new Counts();
        var items = new Counts();
        boolean batched = run.path("batched").asBoolean(false);
        Instant now = clock.instant();
        for (StoredExecution child : store.list(childMachineArn(arn), e -> arn.equals(e.mapRunArn()), null, Integer.MAX_VALUE)) {
            long held = batched ? JsonText.readValue(child.input()).path("Items").size() : 1;
            var status = child.status();
            boolean unsuccessful = status != ExecutionStatus.RUNNING && status != ExecutionStatus.SUCCEEDED;
            boolean notRedrivable = unsuccessful && ExecutionRedrives.pastLimits(child, now) != null;
            boolean pendingRedrive = unsuccessful && !notRedrivable && end.status().equals("RUNNING")
                    && child.redriveCount() < end.redriveCount();
            executions.add(status, 1, notRedrivable, pendingRedrive);
            items.add(status, held, notRedrivable, pendingRedrive);
        }
        response.set("itemCounts", items.toJson(run.path("itemCount").asLong()));
        response.set("executionCounts", executions.toJson(run.path("executionCount").asLong()));
    }

    /** Children (or their items) by status, as DescribeMapRun counts them. */
    private static final class Counts {
        private final Map<ExecutionStatus, Long> byStatus = new EnumMap<>(ExecutionStatus.class);
        private long notRedrivable;
        private long pendingRedrive;

        void add(ExecutionStatus status, long n, boolean isNotRedrivable, boolean isPendingRedrive) {
            byStatus.merge(status, n, Long::sum);
            notRedrivable += isNotRedrivable ? n : 0;
            pendingRedrive += isPendingRedrive ? n : 0;
        }

        /** As AWS counts them, a result is written once its child has ended, ResultWriter or not. */
        ObjectNode toJson(long total) {
            long started = byStatus.values().stream().mapToLong(Long::longValue).sum();
            long finished = started - byStatus.getOrDefault(ExecutionStatus.RUNNING, 0L);
            var counts = object();
            counts.put("pending", Math.max(0, total - started));
            counts.put("running", byStatus.getOrDefault(ExecutionStatus.RUNNING, 0L));
            counts.put("succeeded", byStatus.getOrDefault(ExecutionStatus.SUCCEEDED, 0L));
            counts.put("failed", byStatus.getOrDefault(ExecutionStatus.FAILED, 0L));
            counts.put("timedOut", byStatus.getOrDefault(ExecutionStatus.TIMED_OUT, 0L));
            counts.put("aborted", byStatus.getOrDefault(ExecutionStatus.ABORTED, 0L));
            counts.put("total", total);
            counts.put("resultsWritten", finished);
            counts.put("failuresNotRedrivable", notRedrivable);
            counts.put("pendingRedrive", pendingRedrive);
            return counts;
        }
    }

    /**
     * How a Map Run stands: RUNNING, or how it ended (its MapRunSucceeded/Failed/Aborted event, or ABORTED when its
     * execution ended first), and how often and when it was last redriven (its MapRunRedriven events).
     */
    private record End(String status, Instant stopDate, int redriveCount, Instant redriveDate) {
    }

    /**
     * The events that follow MapRunStarted (its end; for each redrive a MapRunRedriven) or a MapRunRedriven (the end
     * of that attempt), in the order recorded: the last one says how the run stands.
     */
    private static End end(StoredExecution parent, List<HistoryEvent> history, HistoryEvent started) {
        var attempts = new java.util.HashSet<Long>();
        attempts.add(started.id());
        String status = null;
        Instant stopDate = null;
        int redrives = 0;
        Instant redriveDate = null;
        for (HistoryEvent e : history) {
            if (e.id() <= started.id() || !attempts.contains(e.previousEventId())) {
                continue;
            }
            String ended = switch (e.type()) {
                case "MapRunSucceeded" -> "SUCCEEDED";
                case "MapRunFailed" -> "FAILED";
                case "MapRunAborted" -> "ABORTED";
                default -> null;
            };
            if (ended != null) {
                status = ended;
                stopDate = e.timestamp();
            } else if (e.type().equals("MapRunRedriven")) {
                status = null;
                stopDate = null;
                redrives++;
                redriveDate = e.timestamp();
                attempts.add(e.id());
            }
        }
        if (status == null) {
            boolean running = parent.status() == ExecutionStatus.RUNNING;
            status = running ? "RUNNING" : "ABORTED";
            stopDate = running ? null : parent.stopDate();
        }
        return new End(status, stopDate, redrives, redriveDate);
    }

    /** The state machine ARN a Map Run's children run as: {@code ...:stateMachine:<machine>/<label>}. */
    static String childMachineArn(String mapRunArn) {
        return mapRunArn.substring(0, mapRunArn.lastIndexOf(':')).replace(":mapRun:", ":stateMachine:");
    }

    /** The item processor of the DISTRIBUTED Map labelled {@code label} (its Label, or its name), as a definition. */
    static String processorDefinition(JsonNode definition, String label) {
        JsonNode processor = findProcessor(definition.path("States"), label);
        if (processor == null) {
            return JsonText.write(definition);
        }
        var child = object();
        child.set("StartAt", processor.path("StartAt"));
        child.set("States", processor.path("States"));
        if (definition.path("QueryLanguage").asText().equals("JSONata")) {
            child.put("QueryLanguage", "JSONata");
        }
        return JsonText.write(child);
    }

    private static JsonNode findProcessor(JsonNode states, String label) {
        for (var entry : states.properties()) {
            JsonNode state = entry.getValue();
            JsonNode processor = state.has("ItemProcessor") ? state.path("ItemProcessor") : state.path("Iterator");
            if (state.path("Type").asText().equals("Map")
                    && processor.path("ProcessorConfig").path("Mode").asText().equals("DISTRIBUTED")
                    && state.path("Label").asText(entry.getKey()).equals(label)) {
                return processor;
            }
            var nested = new ArrayList<JsonNode>();
            state.path("Branches").forEach(b -> nested.add(b.path("States")));
            nested.add(processor.path("States"));
            for (JsonNode inner : nested) {
                JsonNode found = inner.isObject() ? findProcessor(inner, label) : null;
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static StepFunctionsException notFound(String arn) {
        return new StepFunctionsException("ResourceNotFound", "Resource not found: '" + arn + "'");
    }

    /** A Map Run, the execution it belongs to, that execution's history and its MapRunStarted event. */
    private record Located(JsonNode run, StoredExecution parent, List<HistoryEvent> history, HistoryEvent started) {
    }

    /** The Map Run named by {@code arn}; {@code InvalidArn} for what is no Map Run ARN, ResourceNotFound for one unknown. */
    private Located locate(String arn) {
        if (Arn.parse(arn).filter(a -> a.service().equals("states") && a.resourceType().equals("mapRun")).isEmpty()) {
            throw StepFunctionsException.invalidArn(arn);
        }
        JsonNode run = children.mapRun(arn).orElseThrow(() -> notFound(arn));
        var parent = queries.execution(run.path("executionArn").asText());
        var history = parent.history();
        HistoryEvent started = history.stream().filter(e -> e.type().equals("MapRunStarted") && arn.equals(
                e.details().path("mapRunStartedEventDetails").path("mapRunArn").asText())).findFirst()
                .orElseThrow(() -> notFound(arn));
        return new Located(run, parent, history, started);
    }
}
