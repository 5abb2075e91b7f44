package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.ApiJson.epochSeconds;
import static com.orderflow.local.sfn.ApiJson.object;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.store.StoredExecution;
import com.orderflow.local.store.WorkflowStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The operations that read executions from the store: DescribeExecution, ListExecutions, GetExecutionHistory and
 * DescribeStateMachineForExecution. What they report is derived from each execution's durable history.
 */
final class ExecutionQueries {

    private final StatesArns arns;
    private final StateMachineRegistry stateMachines;
    private final VersionsApi targets;
    private final WorkflowStore store;
    /** Why an execution cannot be redriven now, or null (DescribeExecution's redriveStatus). */
    private final Function<StoredExecution, String> whyNotRedrivable;

    ExecutionQueries(StateMachineRegistry stateMachines, VersionsApi targets, WorkflowStore store,
                     Function<StoredExecution, String> whyNotRedrivable) {
        this.arns = stateMachines.arns();
        this.stateMachines = stateMachines;
        this.targets = targets;
        this.store = store;
        this.whyNotRedrivable = whyNotRedrivable;
    }

    ObjectNode describeExecution(ActionRequest request) {
        var stored = execution(request.requiredString("executionArn"));
        var response = object();
        response.put("executionArn", stored.executionArn());
        response.put("stateMachineArn", stored.stateMachineArn());
        response.put("name", stored.name());
        response.put("status", stored.status().name());
        response.set("startDate", epochSeconds(stored.startDate()));
        if (stored.versionArn() != null) {
            response.put("stateMachineVersionArn", stored.versionArn());
        }
        if (stored.aliasArn() != null) {
            response.put("stateMachineAliasArn", stored.aliasArn());
        }
        response.put("input", stored.input());
        response.putObject("inputDetails").put("included", true);
        if (stored.mapRunArn() != null) {
            response.put("mapRunArn", stored.mapRunArn());
        }
        if (!stored.resumes().isEmpty()) {
            // not in AWS's shape (SDKs ignore it): where the local engine was restarted and resumed this execution
            var restarts = response.putArray("localRestarts");
            stored.resumes().forEach(r -> restarts.addObject().put("beforeEventId", r.beforeEventId())
                    .set("at", epochSeconds(r.at())));
        }
        response.put("redriveCount", stored.redriveCount());
        if (stored.redriveDate() != null) {
            response.set("redriveDate", epochSeconds(stored.redriveDate()));
        }
        String why = whyNotRedrivable.apply(stored);
        response.put("redriveStatus", why == null ? "REDRIVABLE" : "NOT_REDRIVABLE");
        if (why != null) {
            response.put("redriveStatusReason", why);
        }
        var closing = stored.closing();
        if (closing != null) {
            response.set("stopDate", epochSeconds(closing.timestamp()));
            var details = closing.details();
            var d = details == null ? object() : details.elements().next();
            if (d.hasNonNull("output")) {
                response.put("output", d.path("output").asText());
                response.putObject("outputDetails").put("included", true);
            }
            if (d.hasNonNull("error")) {
                response.put("error", d.path("error").asText());
            }
            if (d.hasNonNull("cause")) {
                response.put("cause", d.path("cause").asText());
            }
        }
        return response;
    }

    /**
     * The executions of a state machine, or of one of its versions or aliases by the version's or alias's ARN,
     * newest first.
     */
    ObjectNode listExecutions(ActionRequest request) {
        var mapRunArn = request.string("mapRunArn");
        if (mapRunArn != null && request.string("stateMachineArn") != null) {
            throw StepFunctionsException.validation("Specify either a stateMachineArn or a mapRunArn, not both");
        }
        // a Map Run's children are executions of their own state machine, <machine>/<label>, kept apart from the parent's
        var machineArn = mapRunArn != null ? MapRunsApi.childMachineArn(mapRunArn) : request.requiredString("stateMachineArn");
        var qualified = mapRunArn != null ? null : arns.qualified(machineArn);
        var qualifier = qualified == null || qualified.qualifier() == null ? null : machineArn;
        var sm = mapRunArn != null ? null : targets.resolve(machineArn).stateMachine();
        if (sm != null && sm.type() == StateMachine.StateMachineType.EXPRESS) {
            // Express executions are kept nowhere to list, as on AWS (which logs them to CloudWatch instead)
            throw new StepFunctionsException("StateMachineTypeNotSupported",
                    "This operation is not supported by this type of state machine");
        }
        boolean byAlias = qualified != null && qualified.isAlias();
        var filter = request.string("statusFilter");
        var status = filter == null ? null : status(filter);
        String redriveFilter = request.string("redriveFilter");
        var redriven = redriveFilter(redriveFilter);
        String listed = sm == null ? machineArn : sm.arn();
        String listing = "ListExecutions " + (qualifier == null ? listed : qualifier) + " " + filter + " " + redriveFilter
                + (mapRunArn == null ? "" : " " + mapRunArn);
        String token = request.string("nextToken");
        Long after = null;
        if (token != null) {
            try {
                after = Long.parseLong(NextTokens.keyOf(listing, token));
            } catch (NumberFormatException e) {
                throw NextTokens.invalidToken(token);
            }
        }
        int max = request.maxResults();
        // one more than the page, to know whether a next page exists
        var found = store.list(listed, e -> (status == null || e.status() == status)
                && (mapRunArn == null || mapRunArn.equals(e.mapRunArn()))
                && redriven.test(e)
                && (qualifier == null || qualifier.equals(byAlias ? e.aliasArn() : e.versionArn())), after, max + 1);
        var page = found.size() > max ? found.subList(0, max) : found;
        String nextToken = found.size() > max ? NextTokens.after(listing, Long.toString(page.getLast().key())) : null;
        var response = object();
        var items = response.putArray("executions");
        for (var e : page) {
            var item = items.addObject();
            item.put("executionArn", e.executionArn());
            item.put("stateMachineArn", e.stateMachineArn());
            item.put("name", e.name());
            item.put("status", e.status().name());
            item.set("startDate", epochSeconds(e.startDate()));
            if (e.versionArn() != null) {
                item.put("stateMachineVersionArn", e.versionArn());
            }
            if (e.aliasArn() != null) {
                item.put("stateMachineAliasArn", e.aliasArn());
            }
            if (e.stopDate() != null) {
                item.set("stopDate", epochSeconds(e.stopDate()));
            }
            if (e.mapRunArn() != null) {
                item.put("mapRunArn", e.mapRunArn());
            }
            item.put("redriveCount", e.redriveCount());
            if (e.redriveDate() != null) {
                item.set("redriveDate", epochSeconds(e.redriveDate()));
            }
        }
        if (nextToken != null) {
            response.put("nextToken", nextToken);
        }
        return response;
    }

    ObjectNode getExecutionHistory(ActionRequest request) {
        var stored = execution(request.requiredString("executionArn"));
        boolean reverse = request.bool("reverseOrder", false);
        boolean includeData = request.bool("includeExecutionData", true);
        var events = new ArrayList<>(stored.history());
        if (reverse) {
            Collections.reverse(events);
        }
        var page = NextTokens.page(events, e -> Long.toString(e.id()),
                "GetExecutionHistory " + stored.executionArn() + " " + reverse,
                request.string("nextToken"), request.maxResults());
        var response = object();
        var items = response.putArray("events");
        for (var event : page.items()) {
            items.add(eventJson(event, includeData));
        }
        if (page.nextToken() != null) {
            response.put("nextToken", page.nextToken());
        }
        return response;
    }

    private static ObjectNode eventJson(HistoryEvent event, boolean includeData) {
        var json = object();
        json.set("timestamp", epochSeconds(event.timestamp()));
        json.put("type", event.type());
        json.put("id", event.id());
        json.put("previousEventId", event.previousEventId());
        var eventDetails = event.details(); // a tree built for this read (HistoryEvent#details)
        if (eventDetails != null) {
            eventDetails.properties().forEach(e -> {
                var details = e.getValue().deepCopy();
                if (!includeData && details instanceof ObjectNode o) {
                    o.remove(List.of("input", "output", "inputDetails", "outputDetails"));
                }
                json.set(e.getKey(), details);
            });
        }
        return json;
    }

    ObjectNode describeStateMachineForExecution(ActionRequest request) {
        var stored = execution(request.requiredString("executionArn"));
        // the definition the execution ran, not today's
        var sm = stateMachines.atRevision(stored.revision()).orElseThrow(() ->
                StepFunctionsException.stateMachineDoesNotExist(stored.stateMachineArn()));
        var response = object();
        response.put("stateMachineArn", sm.arn());
        response.put("name", sm.name());
        response.put("definition", sm.definition().json());
        response.put("roleArn", sm.roleArn());
        response.set("updateDate", epochSeconds(sm.updateDate() == null ? sm.creationDate() : sm.updateDate()));
        response.put("revisionId", Long.toString(sm.revision()));
        if (stored.mapRunArn() != null) {
            // a Map Run's child runs the Map's item processor, as a state machine named <machine>/<label>
            String label = stored.stateMachineName().substring(stored.stateMachineName().indexOf('/') + 1);
            response.put("stateMachineArn", stored.stateMachineArn()).put("name", stored.stateMachineName());
            response.put("definition", MapRunsApi.processorDefinition(sm.definition().tree(), label));
            response.put("mapRunArn", stored.mapRunArn()).put("label", label);
        }
        return response;
    }

    /** The execution with this ARN; InvalidArn (an Express one's too, as on AWS) or ExecutionDoesNotExist. */
    StoredExecution execution(String arn) {
        if (arns.isExpressExecution(arn)) {
            throw new StepFunctionsException("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: express'");
        }
        arns.execution(arn);
        return store.find(arn).orElseThrow(() -> StepFunctionsException.executionDoesNotExist(arn));
    }

    /** REDRIVEN lists only executions redriven at least once, NOT_REDRIVEN only the others; none lists both. */
    private static Predicate<StoredExecution> redriveFilter(String value) {
        if (value == null) {
            return e -> true;
        }
        return switch (value) {
            case "REDRIVEN" -> e -> e.redriveCount() > 0;
            case "NOT_REDRIVEN" -> e -> e.redriveCount() == 0;
            default -> throw StepFunctionsException.validation("1 validation error detected: Value '" + value
                    + "' at 'redriveFilter' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[REDRIVEN, NOT_REDRIVEN]");
        };
    }

    private static ExecutionStatus status(String value) {
        try {
            return ExecutionStatus.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw StepFunctionsException.validation("1 validation error detected: Value '" + value
                    + "' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: "
                    + Arrays.toString(ExecutionStatus.values()));
        }
    }
}
