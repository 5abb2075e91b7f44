package com.orderflow.local.engine.run;

import com.orderflow.local.engine.EventDetails;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.TaskContext;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.definition.State;
import com.orderflow.local.engine.expr.JsonText;
import com.orderflow.local.engine.expr.StateFailure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A Task state's attempt: schedules, invokes (or, after a restart, takes the recorded end), records its end. */
final class TaskStep {

    private final ExecutionRun run;
    private final CallbackStep callbacks;

    TaskStep(ExecutionRun run) {
        this.run = run;
        this.callbacks = new CallbackStep(run, this);
    }

    Step task(State.Task t, JsonNode raw, StateScope scope, Cursor cursor) {
        if (CallbackStep.handles(t.resource())) {
            return callbacks.task(t, raw, scope, cursor);
        }
        JsonNode effective = t.io().effectiveInput(raw, scope);
        JsonNode parameters = t.io().arguments(effective, scope);
        Integer timeout = seconds(t.timeout(), effective, scope, "TimeoutSeconds");
        Integer heartbeat = seconds(t.heartbeat(), effective, scope, "HeartbeatSeconds");
        String paramsText = JsonText.write(parameters);
        StateWalk.checkSize(t.name(), paramsText);
        boolean lambdaFunction = TaskResource.isLambdaFunction(t.resource());
        String[] service = TaskResource.serviceOf(t.resource());
        if (lambdaFunction) {
            cursor.last = run.record("LambdaFunctionScheduled", cursor.last,
                    new EventDetails.LambdaScheduled(t.resource(), paramsText, timeout));
            cursor.last = run.record("LambdaFunctionStarted", cursor.last, EventDetails.NONE);
        } else {
            ObjectNode scheduled = JsonText.NODES.objectNode();
            ObjectNode d = scheduled.putObject("taskScheduledEventDetails");
            d.put("resourceType", service[0]);
            d.put("resource", service[1]);
            d.put("region", run.region());
            d.put("parameters", paramsText);
            if (timeout != null) {
                d.put("timeoutInSeconds", timeout);
            }
            if (heartbeat != null) {
                d.put("heartbeatInSeconds", heartbeat);
            }
            cursor.last = run.record("TaskScheduled", cursor.last, scheduled);
            ObjectNode started = JsonText.NODES.objectNode();
            started.putObject("taskStartedEventDetails").put("resourceType", service[0]).put("resource", service[1]);
            cursor.last = run.record("TaskStarted", cursor.last, started);
        }
        var context = new TaskContext(run.identity.executionArn(), run.identity.name(), run.identity.stateMachineArn(), t.name(),
                scope.retryCount, timeout);
        long startedId = cursor.last;
        HistoryEvent recordedEnd = run.replayDone() ? null : run.replayed(startedId, e -> ExecutionRun.TASK_ENDS.contains(e.type()));
        if (recordedEnd != null) {
            // the task finished before the restart: its recorded result stands and it is not run again
            cursor.last = recordedEnd.id();
            JsonNode d = recordedEnd.details().elements().next();
            if (!recordedEnd.type().endsWith("Succeeded")) {
                throw new StateFailure(d.path("error").asText(), d.has("cause") ? d.path("cause").asText() : null);
            }
            JsonNode recordedResult = JsonText.readValue(d.path("output").asText());
            return run.walk.exit(t, cursor, StateIo.applyResult(t.io(), raw, recordedResult, scope, cursor), t.next());
        }
        Integer remaining = timeout;
        if (run.replayed(startedId)) {
            // in flight at the restart: invoked again (at-least-once) with the input it was scheduled with,
            // its timeout counting from the first start
            JsonNode sd = run.event(run.event(startedId).previousEventId()).details().elements().next();
            parameters = JsonText.readValue(sd.path(lambdaFunction ? "input" : "parameters").asText());
            if (timeout != null) {
                long elapsed = Duration.between(run.event(startedId).timestamp(), run.clock.now()).toSeconds();
                remaining = (int) Math.max(0, timeout - elapsed);
            }
        }
        JsonNode result;
        String resultText;
        try {
            if (remaining != null && remaining == 0) {
                throw new StateFailure(StateFailure.TIMEOUT, "");
            }
            result = invoke(t.resource(), parameters, context, remaining);
            resultText = JsonText.write(result);
            if (resultText.length() > ExecutionRun.MAX_PAYLOAD_BYTES / 4 && JsonText.utf8Length(resultText) > ExecutionRun.MAX_PAYLOAD_BYTES) {
                // AWS reports an oversized task result as a failure of the task itself, which Catch can handle.
                throw new StateFailure(StateFailure.DATA_LIMIT_EXCEEDED, "The state/task '" + t.resource()
                        + "' returned a result with a size exceeding the maximum number of bytes service limit.");
            }
        } catch (StateFailure f) {
            boolean timedOut = StateFailure.TIMEOUT.equals(f.error());
            ObjectNode details = JsonText.NODES.objectNode();
            ObjectNode d;
            String type;
            if (lambdaFunction) {
                type = timedOut ? "LambdaFunctionTimedOut" : "LambdaFunctionFailed";
                d = details.putObject(timedOut ? "lambdaFunctionTimedOutEventDetails" : "lambdaFunctionFailedEventDetails");
            } else {
                type = timedOut ? "TaskTimedOut" : "TaskFailed";
                d = details.putObject(timedOut ? "taskTimedOutEventDetails" : "taskFailedEventDetails");
                d.put("resourceType", service[0]).put("resource", service[1]);
            }
            d.put("error", f.error());
            if (f.cause() != null) {
                d.put("cause", f.cause());
            }
            cursor.last = run.record(type, cursor.last, details);
            throw f;
        }
        // whole before it is recorded: a sibling branch's flush may encode it at once, on its own thread
        if (lambdaFunction) {
            cursor.last = run.record("LambdaFunctionSucceeded", cursor.last, new EventDetails.LambdaSucceeded(resultText));
        } else {
            ObjectNode succeeded = JsonText.NODES.objectNode();
            ObjectNode d = succeeded.putObject("taskSucceededEventDetails");
            d.put("resourceType", service[0]).put("resource", service[1]);
            d.put("output", resultText);
            d.set("outputDetails", ExecutionRun.NOT_TRUNCATED);
            cursor.last = run.record("TaskSucceeded", cursor.last, succeeded);
        }
        return run.walk.exit(t, cursor, StateIo.applyResult(t.io(), raw, result, scope, cursor), t.next());
    }

    /** A timeout or heartbeat from its literal, its JSONPath path or its JSONata expression; null when the state has none. */
    static Integer seconds(State.Seconds seconds, JsonNode effective, StateScope scope, String field) {
        if (seconds.path() != null) {
            return TaskResource.positive(seconds.path(), effective, field + "Path");
        }
        if (seconds.expression() != null) {
            JsonNode v = seconds.expression().evaluate(scope);
            if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > Integer.MAX_VALUE) {
                throw seconds.expression().unexpectedType(field, "positive integer", v);
            }
            return v.asInt();
        }
        return seconds.fixed();
    }

    JsonNode invoke(String resource, JsonNode parameters, TaskContext context, Integer timeout) {
        var future = new CompletableFuture<JsonNode>();
        Thread worker = ThreadsOfControl.FACTORY.newThread(() -> {
            try {
                JsonNode out = run.tasks.invoke(resource, parameters, context);
                future.complete(out == null ? JsonText.NODES.nullNode() : out);
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        });
        run.attach(worker);
        run.flush(); // the task's scheduled and started events are stored before it runs
        worker.start();
        try {
            return timeout == null ? future.get()
                    : future.get(run.clock.realNanos(Duration.ofSeconds(timeout)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            throw new StateFailure(StateFailure.TIMEOUT, "");
        } catch (InterruptedException e) {
            worker.interrupt();
            throw Stopped.INSTANCE;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TaskFailedException tf) {
                throw new StateFailure(tf.error(), tf.cause());
            }
            if (cause instanceof StateFailure sf) {
                throw sf;
            }
            throw new StateFailure(cause.getClass().getName(), String.valueOf(cause.getMessage()));
        } finally {
            run.detach(worker);
        }
    }
}
