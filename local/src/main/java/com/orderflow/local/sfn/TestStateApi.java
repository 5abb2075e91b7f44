package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.ApiJson.object;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.engine.run.AslEngine;
import com.orderflow.local.engine.run.Callbacks;
import com.orderflow.local.engine.expr.InspectionStages;
import com.orderflow.local.engine.expr.JsonText;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * TestState: runs one state on an input, through the engine, and says what it did: its output, the state it would
 * go to next, or the error it failed, was caught or would be retried with. The state runs in a definition of its
 * own whose every transition target is a Succeed state; a Retry is read, not run (RETRIABLE, as on AWS), and a Wait
 * does not wait. Nothing is stored.
 */
final class TestStateApi {

    private static final String RUNNER_STATE = "TestState.Variables";

    private final AslEngine engine;
    private final DefinitionCheck check;
    private final TaskInvoker tasks;
    private final StatesArns arns;
    private final Clock clock;

    TestStateApi(AslEngine engine, DefinitionCheck check, TaskInvoker tasks, StatesArns arns, Clock clock) {
        this.engine = engine;
        this.check = check;
        this.tasks = tasks;
        this.arns = arns;
        this.clock = clock;
    }

    ObjectNode testState(ActionRequest request) {
        var level = request.string("inspectionLevel");
        level = level == null ? "INFO" : level;
        if (!Set.of("INFO", "DEBUG", "TRACE").contains(level)) {
            throw StepFunctionsException.validation("1 validation error detected: Value '" + level + "' at "
                    + "'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[INFO, DEBUG, TRACE]");
        }
        var definition = readObject(request.requiredString("definition"), "definition");
        var stateName = request.string("stateName");
        String name;
        ObjectNode state;
        if (stateName != null) {
            var states = definition.path("States");
            if (!(states.path(stateName) instanceof ObjectNode found)) {
                throw StepFunctionsException.validation("State '" + stateName + "' is not in the definition's States");
            }
            name = stateName;
            state = found.deepCopy();
        } else {
            name = "TestState";
            state = definition.deepCopy();
        }
        var mockRequest = request.body().get("mock");
        boolean mocked = mockRequest != null && !mockRequest.isNull();
        var type = state.path("Type").asText();
        if (mocked && !type.equals("Task")) {
            throw StepFunctionsException.validation("A mock stands in for a Task's result; the local endpoint runs a "
                    + type + " state's own work and takes no mock for it");
        }
        if (mocked && Callbacks.isActivity(state.path("Resource").asText())) {
            throw StepFunctionsException.validation("The local endpoint takes no mock for an activity Task: test it"
                    + " with a worker (GetActivityTask and SendTaskSuccess) instead");
        }
        if (!mocked && type.equals("Task") && Callbacks.waitsForWorker(state.path("Resource").asText())) {
            // as on AWS: the test would wait for an answer no worker can send, since nobody sees its token
            throw StepFunctionsException.validation("TestState does not support a Task that waits for a task token"
                    + " ('.waitForTaskToken' or an activity): '" + state.path("Resource").asText() + "'");
        }
        var retriers = state.path("Retry").deepCopy();
        state.remove("Retry");
        if (state.path("Type").asText().equals("Wait")) {
            state.remove(List.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath"));
            state.put("Seconds", 0);
        }
        var variables = request.string("variables");
        var runnable = runnable(name, state, variables == null ? null : readObject(variables, "variables"));
        var compiled = check.parse(null, runnable.toString());
        var input = StepFunctionsApi.parseInput(request.string("input") == null ? "{}" : request.string("input"));

        var events = new CopyOnWriteArrayList<HistoryEvent>();
        var identity = new ExecutionIdentity(arns.executionArn("TestState", UUID.randomUUID().toString()),
                "TestState", arns.stateMachineArn("TestState"), "TestState",
                request.string("roleArn") == null ? "" : request.string("roleArn"), clock.instant());
        Consumer<HistoryEvent> recorded = events::add;
        TaskInvoker invoker = mocked ? TestStateMock.of(mockRequest, name, tasks) : tasks;
        var execution = engine.start(compiled, identity, input, invoker, recorded);
        try {
            execution.completion().get(ExpressExecutions.MAX_DURATION.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            execution.stop("States.Aborted", "interrupted");
        } catch (TimeoutException e) {
            execution.stop("States.Timeout", "TestState ran longer than " + ExpressExecutions.MAX_DURATION);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the state failed inside the engine", e.getCause());
        }
        var response = answer(name, retriers, List.copyOf(events), level);
        if (!level.equals("INFO")) {
            inspectStages(definition, state, name, input, variables == null ? null : readObject(variables, "variables"),
                    (ObjectNode) response.get("inspectionData"));
        }
        return response;
    }

    /** The state, a Pass before it that assigns the given variables, and a Succeed for every target it names. */
    private static ObjectNode runnable(String name, ObjectNode state, ObjectNode variables) {
        var definition = object();
        var states = object();
        if (variables != null && !variables.isEmpty()) {
            definition.put("StartAt", RUNNER_STATE);
            var assign = object();
            variables.properties().forEach(e -> assign.set(e.getKey(), e.getValue()));
            states.putObject(RUNNER_STATE).put("Type", "Pass").put("Next", name).set("Assign", assign);
        } else {
            definition.put("StartAt", name);
        }
        states.set(name, state);
        for (String target : targets(state)) {
            if (!target.equals(name) && !states.has(target)) {
                states.putObject(target).put("Type", "Succeed");
            }
        }
        definition.set("States", states);
        return definition;
    }

    private static Set<String> targets(JsonNode state) {
        var names = new LinkedHashSet<String>();
        addText(names, state.path("Next"));
        addText(names, state.path("Default"));
        state.path("Choices").forEach(choice -> addText(names, choice.path("Next")));
        state.path("Catch").forEach(catcher -> addText(names, catcher.path("Next")));
        return names;
    }

    private static void addText(Set<String> names, JsonNode node) {
        if (node.isTextual()) {
            names.add(node.asText());
        }
    }

    /** AWS's answer, from the history the run recorded. */
    private static ObjectNode answer(String name, JsonNode retriers, List<HistoryEvent> events, String level) {
        var response = object();
        JsonNode entered = null;
        JsonNode failure = null;
        JsonNode scheduledInput = null;
        JsonNode result = null;
        String next = null;
        JsonNode exited = null;
        boolean inState = false;
        for (HistoryEvent event : events) {
            var tree = event.details();
            var details = tree == null ? object() : tree;
            if (details.has("stateEnteredEventDetails")) {
                var d = details.path("stateEnteredEventDetails");
                if (d.path("name").asText().equals(name)) {
                    entered = d;
                    inState = true;
                } else if (exited != null && next == null) {
                    next = d.path("name").asText();
                }
            } else if (details.has("stateExitedEventDetails")
                    && details.path("stateExitedEventDetails").path("name").asText().equals(name)) {
                exited = details.path("stateExitedEventDetails");
                inState = false;
            } else if (inState) {
                var d = details.elements().hasNext() ? details.elements().next() : object();
                if (event.type().endsWith("Scheduled")) {
                    scheduledInput = d.has("input") ? d.path("input") : d.path("parameters");
                } else if (event.type().endsWith("Succeeded") && d.has("output")) {
                    result = d.path("output");
                } else if (event.type().endsWith("Failed") || event.type().endsWith("TimedOut")) {
                    failure = d;
                }
            }
            if (event.type().equals("ExecutionFailed") || event.type().equals("ExecutionTimedOut")) {
                failure = failure != null ? failure : details.elements().next();
            }
        }
        if (exited != null) {
            response.put("output", exited.path("output").asText());
            if (next != null) {
                response.put("nextState", next);
            }
            if (failure != null) {
                response.put("status", "CAUGHT_ERROR");
                errorAndCause(response, failure);
            } else {
                response.put("status", "SUCCEEDED");
            }
        } else if (failure != null) {
            errorAndCause(response, failure);
            response.put("status", retries(retriers, failure.path("error").asText()) ? "RETRIABLE" : "FAILED");
        } else {
            response.put("status", "SUCCEEDED");
        }
        if (!level.equals("INFO")) {
            var inspection = response.putObject("inspectionData");
            if (entered != null) {
                inspection.put("input", entered.path("input").asText());
            }
            if (scheduledInput != null) {
                inspection.put("afterParameters", scheduledInput.asText());
            }
            if (result != null) {
                inspection.put("result", result.asText());
            }
        }
        return response;
    }

    /**
     * The data flow stages between the raw input and the output, for a JSONPath state ({@code afterInputPath} to
     * {@code afterResultPath}); a JSONata state shows its Task's {@code afterArguments} instead, as AWS does.
     */
    private static void inspectStages(ObjectNode definition, ObjectNode state, String name, JsonNode input,
                                       ObjectNode variables, ObjectNode inspection) {
        boolean jsonata = "JSONata".equals(state.path("QueryLanguage").asText(definition.path("QueryLanguage").asText()));
        var scheduled = inspection.remove("afterParameters");
        var result = inspection.has("result") ? readJson(inspection.get("result").asText()) : null;
        if (jsonata) {
            if (scheduled != null) {
                inspection.set("afterArguments", scheduled);
            }
            return;
        }
        var context = object();
        context.putObject("Execution").put("Name", "TestState").set("Input", input);
        context.putObject("State").put("Name", name);
        var stages = object();
        InspectionStages.put(state, input, result, variables, context, stages);
        if (scheduled != null) {
            // what the Task was really invoked with, context object and all
            stages.set("afterParameters", scheduled);
        }
        for (String stage : List.of("afterInputPath", "afterParameters", "afterResultSelector", "afterResultPath")) {
            if (stages.has(stage)) {
                inspection.set(stage, stages.get(stage));
            }
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return JsonText.read(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    /** Whether a retrier matches the error and allows a retry at all, by the rules the engine retries by. */
    private static boolean retries(JsonNode retriers, String error) {
        for (JsonNode retrier : retriers) {
            var matches = new ArrayList<String>();
            retrier.path("ErrorEquals").forEach(e -> matches.add(e.asText()));
            boolean matching = matches.contains(error) || matches.contains("States.ALL")
                    || matches.contains("States.TaskFailed") && !error.equals("States.Timeout");
            if (matching) {
                return retrier.path("MaxAttempts").asInt(3) > 0;
            }
        }
        return false;
    }

    private static void errorAndCause(ObjectNode response, JsonNode failure) {
        if (failure.hasNonNull("error")) {
            response.put("error", failure.path("error").asText());
        }
        if (failure.hasNonNull("cause")) {
            response.put("cause", failure.path("cause").asText());
        }
    }

    private static ObjectNode readObject(String text, String member) {
        try {
            if (JsonText.read(text) instanceof ObjectNode object) {
                return object;
            }
        } catch (Exception e) {
            // answered below
        }
        throw new StepFunctionsException(member.equals("definition") ? "InvalidDefinition" : "ValidationException",
                (member.equals("definition") ? "Invalid State Machine Definition: " : "Invalid variables: ")
                        + "'" + member + "' must be a JSON object");
    }

}
