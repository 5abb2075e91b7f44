package com.orderflow.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.Execution;
import com.orderflow.local.engine.TaskContext;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.engine.expr.JsonText;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * The Step Functions integration {@code arn:aws:states:::states:startExecution} for nested workflows, run against the
 * local endpoint itself: the plain form starts the child and answers its ARN and start date; {@code .sync} waits
 * for the child to end and answers its description with {@code Input}/{@code Output} as JSON text, {@code .sync:2}
 * with them as JSON; a child that does not succeed fails the Task with {@code States.TaskFailed} and its description
 * as the cause. Every other resource goes to the task invoker it wraps.
 */
final class NestedExecutions implements TaskInvoker {

    static final String START = "arn:aws:states:::states:startExecution";
    private static final String SYNC = START + ".sync";
    private static final String SYNC_2 = START + ".sync:2";
    private static final long RESUME_POLL_MILLIS = 50;

    /** What the integration needs of the endpoint: its own StartExecution, the child while it runs, its description. */
    interface Endpoint {
        ObjectNode startExecution(ObjectNode request);

        Optional<Execution> open(String executionArn);

        ObjectNode describeExecution(String executionArn);

        void stopExecution(String executionArn, String error, String cause);
    }

    private final TaskInvoker others;
    private final Endpoint endpoint;

    NestedExecutions(TaskInvoker others, Endpoint endpoint) {
        this.others = others;
        this.endpoint = endpoint;
    }

    static boolean isNested(String resource) {
        return resource.equals(START) || resource.equals(SYNC) || resource.equals(SYNC_2);
    }

    @Override
    public Optional<String> whyNotRunnable(String resource) {
        return isNested(resource) ? Optional.empty() : others.whyNotRunnable(resource);
    }

    @Override
    public Optional<String> whyNoTaskToken(String resource) {
        return isNested(resource) ? Optional.empty() : others.whyNoTaskToken(resource);
    }

    @Override
    public JsonNode invoke(String resource, JsonNode parameters, TaskContext context) throws TaskFailedException {
        if (!isNested(resource)) {
            return others.invoke(resource, parameters, context);
        }
        var request = JsonText.NODES.objectNode();
        request.put("stateMachineArn", parameters.path("StateMachineArn").asText(null));
        if (parameters.hasNonNull("Name")) {
            request.put("name", parameters.path("Name").asText());
        }
        JsonNode input = parameters.path("Input");
        request.put("input", input.isMissingNode() || input.isNull() ? "{}"
                : input.isTextual() ? input.textValue() : JsonText.write(input));
        String childArn;
        ObjectNode started;
        try {
            started = endpoint.startExecution(request);
            childArn = started.path("executionArn").asText();
        } catch (StepFunctionsException e) {
            started = startedBefore(e, parameters, request);
            if (started == null) {
                String code = e.code().endsWith("Exception") ? e.code() : e.code() + "Exception";
                throw new TaskFailedException("StepFunctions." + code, e.getMessage());
            }
            childArn = started.path("executionArn").asText();
        }
        if (resource.equals(START)) {
            var answer = JsonText.NODES.objectNode();
            answer.put("ExecutionArn", childArn);
            answer.put("StartDate", millis(started.path("startDate")));
            return answer;
        }
        awaitEnd(childArn);
        ObjectNode described;
        try {
            described = endpoint.describeExecution(childArn);
        } catch (StepFunctionsException e) {
            // an Express child is kept nowhere to describe
            throw new TaskFailedException("States.TaskFailed", "The child " + childArn + " cannot be followed: "
                    + e.getMessage());
        }
        var description = pascalCase(described, resource.equals(SYNC_2));
        if (!"SUCCEEDED".equals(description.path("Status").asText())) {
            throw new TaskFailedException("States.TaskFailed", JsonText.write(description));
        }
        return description;
    }

    /**
     * A named child this Task started before a restart (the Task runs again, at least once, as every Task in flight
     * does): the child of that name with the same input stands, and is waited for rather than refused.
     */
    private ObjectNode startedBefore(StepFunctionsException e, JsonNode parameters, ObjectNode request) {
        if (!e.code().equals("ExecutionAlreadyExists") || !parameters.hasNonNull("Name")) {
            return null;
        }
        String arn = e.getMessage().replaceAll("^[^']*'|'$", "");
        var existing = endpoint.describeExecution(arn);
        if (!JsonText.readValue(existing.path("input").asText()).equals(JsonText.readValue(request.path("input").asText()))) {
            return null;
        }
        return existing;
    }

    /** Waits for the child; a parent stopped (or timed out) meanwhile stops the child too. */
    private void awaitEnd(String childArn) throws TaskFailedException {
        try {
            while (true) {
                Optional<Execution> child = endpoint.open(childArn);
                if (child.isPresent()) {
                    child.get().completion().get();
                    return;
                }
                if (!"RUNNING".equals(endpoint.describeExecution(childArn).path("status").asText())) {
                    return; // it has ended already
                }
                Thread.sleep(RESUME_POLL_MILLIS); // RUNNING in the store, and not yet resumed after a restart
            }
        } catch (InterruptedException e) {
            endpoint.stopExecution(childArn, "States.Aborted", "the parent execution's Task ended first");
            Thread.currentThread().interrupt();
            throw new TaskFailedException("States.TaskFailed", "stopped while waiting for " + childArn);
        } catch (ExecutionException e) {
            throw new TaskFailedException("States.TaskFailed", "the child " + childArn + " could not end: " + e.getCause());
        }
    }

    /**
     * DescribeExecution's answer as the integration gives it: field names capitalized, dates in epoch milliseconds,
     * and for {@code .sync:2} the input and output as JSON rather than text.
     */
    private static ObjectNode pascalCase(ObjectNode described, boolean asJson) {
        var answer = JsonText.NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = described.properties().iterator(); it.hasNext(); ) {
            var field = it.next();
            String name = Character.toUpperCase(field.getKey().charAt(0)) + field.getKey().substring(1);
            JsonNode value = field.getValue();
            if (name.endsWith("Date")) {
                answer.put(name, millis(value));
            } else if (asJson && (name.equals("Input") || name.equals("Output")) && value.isTextual()) {
                answer.set(name, JsonText.readValue(value.textValue()));
            } else if (value.isObject()) {
                answer.set(name, pascalCase((ObjectNode) value, false));
            } else if (!name.equals("LocalRestarts")) {
                answer.set(name, value);
            }
        }
        return answer;
    }

    private static long millis(JsonNode epochSeconds) {
        return Math.round(epochSeconds.asDouble() * 1000);
    }
}
