package com.orderflow.local.engine.run;

import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.expr.JsonText;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * The history events of a Task that waits for a worker, as AWS records them: TaskScheduled, TaskStarted,
 * TaskSubmitted and TaskSucceeded/Failed/TimedOut for a {@code .waitForTaskToken} integration; ActivityScheduled,
 * ActivityStarted and ActivitySucceeded/Failed/TimedOut for an activity.
 */
record CallbackEvents(boolean activity, String resourceType, String resource, String activityArn, String region) {

    static final Set<String> ENDS = Set.of("TaskSucceeded", "TaskFailed", "TaskTimedOut",
            "ActivitySucceeded", "ActivityFailed", "ActivityTimedOut");

    /** One event to record. */
    record Event(String type, ObjectNode details) {
    }

    static CallbackEvents of(String resource, String region) {
        if (TaskResource.isActivity(resource)) {
            return new CallbackEvents(true, null, null, resource, region);
        }
        String[] service = TaskResource.serviceOf(resource);
        return new CallbackEvents(false, service[0], service[1], null, region);
    }

    private String prefix() {
        return activity ? "Activity" : "Task";
    }

    private ObjectNode details(String kind, ObjectNode[] holder) {
        ObjectNode details = JsonText.NODES.objectNode();
        ObjectNode d = details.putObject((activity ? "activity" : "task") + kind + "EventDetails");
        if (!activity) {
            d.put("resourceType", resourceType).put("resource", resource);
        }
        holder[0] = d;
        return details;
    }

    Event scheduled(String input, Integer timeout, Integer heartbeat) {
        var d = new ObjectNode[1];
        ObjectNode details = details("Scheduled", d);
        if (activity) {
            d[0].put("resource", activityArn).put("input", input).set("inputDetails", ExecutionRun.NOT_TRUNCATED);
        } else {
            d[0].put("region", region).put("parameters", input);
        }
        if (timeout != null) {
            d[0].put("timeoutInSeconds", timeout);
        }
        if (heartbeat != null) {
            d[0].put("heartbeatInSeconds", heartbeat);
        }
        return new Event(prefix() + "Scheduled", details);
    }

    /** What the task was scheduled with: the integration's parameters or the activity's input. */
    static String scheduledInput(HistoryEvent scheduled) {
        var d = scheduled.details().elements().next();
        return d.has("parameters") ? d.path("parameters").asText() : d.path("input").asText();
    }

    Event started(String workerName) {
        var d = new ObjectNode[1];
        ObjectNode details = details("Started", d);
        if (activity && workerName != null && !workerName.isEmpty()) {
            d[0].put("workerName", workerName);
        }
        return new Event(prefix() + "Started", details);
    }

    Event submitted(String output) {
        var d = new ObjectNode[1];
        ObjectNode details = details("Submitted", d);
        d[0].put("output", output).set("outputDetails", ExecutionRun.NOT_TRUNCATED);
        return new Event("TaskSubmitted", details);
    }

    Event succeeded(String output) {
        var d = new ObjectNode[1];
        ObjectNode details = details("Succeeded", d);
        d[0].put("output", output).set("outputDetails", ExecutionRun.NOT_TRUNCATED);
        return new Event(prefix() + "Succeeded", details);
    }

    Event failed(String error, String cause) {
        return errorEvent("Failed", error, cause);
    }

    Event timedOut(String error, String cause) {
        return errorEvent("TimedOut", error, cause);
    }

    private Event errorEvent(String kind, String error, String cause) {
        var d = new ObjectNode[1];
        ObjectNode details = details(kind, d);
        if (error != null) {
            d[0].put("error", error);
        }
        if (cause != null) {
            d[0].put("cause", cause);
        }
        return new Event(prefix() + kind, details);
    }
}
