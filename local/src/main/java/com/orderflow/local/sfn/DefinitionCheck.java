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

    private List<Diagnostic> unrunnable(String stateMachineName, JsonNode root) {
        var found = new ArrayList<Diagnostic>();
        graph(stateMachineName, root, "", found);
        return found;
    }

    /** The Task states of one graph (the top level, a Parallel branch, a Map's item processor) and those within. */
    private void graph(String stateMachineName, JsonNode graph, String pointer, List<Diagnostic> found) {
        graph.path("States").properties().forEach(entry -> {
            var state = entry.getValue();
            var at = pointer + "/States/" + entry.getKey();
            switch (state.path("Type").asText()) {
                case "Task" -> {
                    var resource = state.path("Resource").asText();
                    // an activity is the engine's own to queue; a .waitForTaskToken resource invokes its integration
                    Callbacks.invokedResource(resource).flatMap(tasks::whyNotRunnable)
                            .filter(why -> stateMachineName == null || mocks
                                    .map(m -> !m.mocksState(stateMachineName, entry.getKey())).orElse(true))
                            .ifPresent(why -> found.add(new Diagnostic("INVALID_RESOURCE",
                                    "The resource '" + resource + "' cannot run here: " + why, at + "/Resource")));
                }
                case "Parallel" -> {
                    var branches = state.path("Branches");
                    for (int i = 0; i < branches.size(); i++) {
                        graph(stateMachineName, branches.get(i), at + "/Branches/" + i, found);
                    }
                }
                case "Map" -> {
                    String processor = state.has("ItemProcessor") ? "ItemProcessor" : "Iterator";
                    graph(stateMachineName, state.path(processor), at + "/" + processor, found);
                }
                default -> {
                    // no other state type runs a task
                }
            }
        });
    }
}
