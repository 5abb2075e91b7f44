package com.orderflow.local.engine.run.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.orderflow.local.engine.TaskContext;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.TaskInvoker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plays back a case's {@code tasks} script: per Resource, a list of behaviours consumed one per
 * invocation, the last one repeating. Records every effective input and task context it receives.
 */
final class ScriptedTaskInvoker implements TaskInvoker {

    /** The error a case gets when its definition calls a Resource the case did not script. */
    static final String UNSCRIPTED = "Conformance.UnscriptedResource";

    private final JsonNode script;
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Map<String, List<JsonNode>> inputs = new ConcurrentHashMap<>();
    private final List<TaskContext> contexts = new ArrayList<>();

    ScriptedTaskInvoker(JsonNode script) {
        this.script = script == null ? JsonNodeFactory.instance.objectNode() : script;
    }

    @Override
    public JsonNode invoke(String resource, JsonNode input, TaskContext context) throws TaskFailedException {
        synchronized (this) {
            inputs.computeIfAbsent(resource, r -> new ArrayList<>()).add(input == null ? null : input.deepCopy());
            contexts.add(context);
        }
        var behaviours = script.get(resource);
        if (behaviours == null || !behaviours.isArray() || behaviours.isEmpty()) {
            throw new TaskFailedException(UNSCRIPTED, "no script for resource " + resource);
        }
        int call = calls.computeIfAbsent(resource, r -> new AtomicInteger()).getAndIncrement();
        var behaviour = behaviours.get(Math.min(call, behaviours.size() - 1));
        if (behaviour.has("sleepMillis")) {
            try {
                Thread.sleep(behaviour.get("sleepMillis").asLong());
            } catch (InterruptedException e) {
                // the engine cancels a timed-out task by interrupting it; end quietly as Lambda would be abandoned
                Thread.currentThread().interrupt();
                throw new TaskFailedException("Conformance.Interrupted", "task interrupted");
            }
        }
        if (behaviour.has("throw")) {
            var failure = behaviour.get("throw");
            var cause = failure.get("cause");
            throw new TaskFailedException(failure.path("error").asText(),
                    cause == null || cause.isNull() ? null : cause.asText());
        }
        if (behaviour.path("echo").asBoolean(false)) {
            return input;
        }
        if (behaviour.has("largeString")) {
            return JsonNodeFactory.instance.textNode("x".repeat(behaviour.get("largeString").asInt()));
        }
        if (behaviour.has("return")) {
            return behaviour.get("return").deepCopy();
        }
        return JsonNodeFactory.instance.nullNode();
    }

    /** The effective inputs received per Resource, in call order. */
    synchronized Map<String, List<JsonNode>> inputs() {
        return Map.copyOf(inputs);
    }

    /** Every task context received, in call order. */
    synchronized List<TaskContext> contexts() {
        return List.copyOf(contexts);
    }
}
