package com.orderflow.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.local.engine.TaskContext;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.engine.expr.JsonText;
import java.util.Optional;
import java.util.Set;

/**
 * TestState's {@code mock}: the tested Task is not run, it answers the mocked {@code result} or fails with the mocked
 * {@code errorOutput}; a {@code .waitForTaskToken} or activity Task takes the mock as its worker's answer. Every other
 * Task (none, in a TestState of one state) goes to the stack's invoker.
 */
final class TestStateMock implements TaskInvoker {

    private static final Set<String> VALIDATION_MODES = Set.of("STRICT", "PRESENT", "NONE");

    private final String stateName;
    private final JsonNode result;
    private final String error;
    private final String cause;
    private final TaskInvoker others;

    private TestStateMock(String stateName, JsonNode result, String error, String cause, TaskInvoker others) {
        this.stateName = stateName;
        this.result = result;
        this.error = error;
        this.cause = cause;
        this.others = others;
    }

    /** The mock a TestState request gives for {@code stateName}, with AWS's validation errors for a bad one. */
    static TestStateMock of(JsonNode mock, String stateName, TaskInvoker others) {
        if (!mock.isObject()) {
            throw StepFunctionsException.validation("'mock' must be an object with 'result' or 'errorOutput'");
        }
        var mode = mock.path("fieldValidationMode").asText("STRICT");
        if (!VALIDATION_MODES.contains(mode)) {
            throw StepFunctionsException.validation("1 validation error detected: Value '" + mode + "' at "
                    + "'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: "
                    + "[STRICT, PRESENT, NONE]");
        }
        boolean hasResult = mock.hasNonNull("result");
        boolean hasError = mock.hasNonNull("errorOutput");
        if (hasResult == hasError) {
            throw StepFunctionsException.validation("A mock must have exactly one of 'result' and 'errorOutput'");
        }
        if (hasResult) {
            JsonNode parsed;
            try {
                parsed = JsonText.read(mock.get("result").asText());
            } catch (Exception e) {
                throw StepFunctionsException.validation("The mock's 'result' is not valid JSON: " + e.getMessage());
            }
            return new TestStateMock(stateName, parsed, null, null, others);
        }
        var errorOutput = mock.get("errorOutput");
        return new TestStateMock(stateName, null, errorOutput.path("error").asText(""),
                errorOutput.path("cause").asText(""), others);
    }

    @Override
    public JsonNode invoke(String resource, JsonNode input, TaskContext context) throws TaskFailedException {
        if (!context.stateName().equals(stateName)) {
            return others.invoke(resource, input, context);
        }
        if (error != null) {
            throw new TaskFailedException(error, cause);
        }
        return result.deepCopy();
    }

    @Override
    public Optional<String> whyNotRunnable(String resource) {
        return Optional.empty();
    }

    @Override
    public boolean answersForWorker(String name) {
        return name.equals(stateName);
    }
}
