package com.orderflow.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.local.engine.InvalidDefinitionException;
import com.orderflow.local.engine.InvalidDefinitionException.Diagnostic;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.engine.definition.StateMachineDefinition;
import com.orderflow.local.engine.run.Callbacks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What CreateStateMachine, UpdateStateMachine and ValidateStateMachineDefinition check: the definition is valid
 * ASL, and every Task's Resource is one the local stack can run (or one a mock test case answers for), so a
 * definition is refused up front, naming the resource, rather than failing each execution with States.Runtime.
 */
final class DefinitionCheck {

    private final TaskInvoker tasks;
    private final Optional<MockConfig> mocks;

    DefinitionCheck(TaskInvoker tasks, Optional<MockConfig> mocks) {
        this.tasks = tasks;
        this.mocks = mocks;
    }

    /**
     * The definition, ready to run.
     *
     * @param stateMachineName whose mock test cases may stand in for a resource
     * @throws StepFunctionsException InvalidDefinition with every problem in AWS's message format
     */
    StateMachineDefinition parse(String stateMachineName, String json) {
        StateMachineDefinition definition;
        try {
            definition = StateMachineDefinition.parse(json);
        } catch (InvalidDefinitionException e) {
            var message = e.getMessage();
            throw new StepFunctionsException("InvalidDefinition",
                    message.startsWith("Invalid State Machine Definition") ? message
                            : "Invalid State Machine Definition: '" + message + "'");
        }
        var unrunnable = unrunnable(stateMachineName, definition.tree());
        if (!unrunnable.isEmpty()) {
            throw new StepFunctionsException("InvalidDefinition", "Invalid State Machine Definition: '"
                    + String.join(", ", unrunnable.stream()
                            .map(d -> d.code() + ": " + d.message() + " at " + d.location()).toList()) + "'");
        }
        return definition;
    }

    /**
     * Every problem with the definition, as ValidateStateMachineDefinition lists them; none when it can run. The
     * request names no state machine, so no mock test case stands in: the definition is judged as a run without one.
     */
    List<Diagnostic> diagnose(String json) {
        try {
            return unrunnable(null, StateMachineDefinition.parse(json).tree());
        } catch (InvalidDefinitionException e) {
            return e.diagnostics();
        }
    }

    /**
     * Refuses, for an EXPRESS state machine, a Task that waits for a worker: Express workflows run at most once and
     * briefly, and AWS supports neither {@code .waitForTaskToken} nor activities in them.
     */
    void requireExpressRunnable(StateMachineDefinition definition) {
        var found = new ArrayList<String>();
        eachTask(definition.tree(), "", (stateName, resource, at) -> {
            if (Callbacks.waitsForWorker(resource)) {
                found.add("SCHEMA_VALIDATION_FAILED: Express state machine does not support "
                        + (resource.endsWith(Callbacks.WAIT_FOR_TASK_TOKEN) ? "'.waitForTaskToken' service integration"
                        : "activities") + " at " + at);
            }
        });
        if (!found.isEmpty()) {
            throw new StepFunctionsException("InvalidDefinition", "Invalid State Machine Definition: '"
                    + String.join(", ", found) + "'");
        }
    }

    /** Sees one Task state: its name, its Resource and the JSON pointer of that Resource. */
    private interface TaskVisitor {
        void visit(String stateName, String resource, String at);
    }

    /** Every Task state of a graph (the top level, a Parallel branch, a Map's item processor) and those within. */
    private static void eachTask(JsonNode graph, String pointer, TaskVisitor task) {
        graph.path("States").properties().forEach(entry -> {
            var state = entry.getValue();
            var at = pointer + "/States/" + entry.getKey();
            switch (state.path("Type").asText()) {
                case "Task" -> task.visit(entry.getKey(), state.path("Resource").asText(), at + "/Resource");
                case "Parallel" -> {
                    var branches = state.path("Branches");
                    for (int i = 0; i < branches.size(); i++) {
                        eachTask(branches.get(i), at + "/Branches/" + i, task);
                    }
                }
                case "Map" -> {
                    String processor = state.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
                    eachTask(state.path(processor), at + "/" + processor, task);
                }
                default -> {
                    // no other state type runs a task
                }
            }
        });
    }

    private List<Diagnostic> unrunnable(String stateMachineName, JsonNode root) {
        var found = new ArrayList<Diagnostic>();
        eachTask(root, "", (stateName, resource, at) -> Callbacks.invokedResource(resource).flatMap(invoked -> tasks
                        .whyNotRunnable(invoked).or(() -> resource.endsWith(Callbacks.WAIT_FOR_TASK_TOKEN)
                                ? tasks.whyNoTaskToken(invoked) : Optional.empty()))
                .filter(why -> stateMachineName == null || mocks
                        .map(m -> !m.mocksState(stateMachineName, stateName)).orElse(true))
                .ifPresent(why -> found.add(new Diagnostic("INVALID_RESOURCE",
                        "The resource '" + resource + "' cannot run here: " + why, at))));
        return found;
    }
}
