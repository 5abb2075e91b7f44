package com.orderflow.local.engine.run;

import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.expr.EvaluationScope;
import com.orderflow.local.engine.expr.JsonText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** What {@code $} and {@code $$} (JSONPath) and {@code $states} (JSONata) mean while one state runs. */
final class StateScope implements EvaluationScope {
    private static final DateTimeFormatter CONTEXT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final ExecutionIdentity identity;
    /** How often the execution was redriven, and when it was last ({@code $$.Execution.RedriveCount}/{@code RedriveTime}). */
    private final Redrives redrives;
    private final JsonNode executionInput;
    private final String stateName;
    private final Instant enteredTime;
    int retryCount;
    /** {@code $$.Task.Token} while a Task state that waits for a callback runs; null otherwise. */
    private String taskToken;
    private final JsonNode data;
    private final int itemIndex;
    private final JsonNode itemValue;

    private final Variables variables;
    private final JsonNode stateInput;
    private final JsonNode result;
    private final JsonNode errorOutput;

    /** An execution's redrives so far: none, or how many and when the last one was. */
    record Redrives(int count, Instant last) {
        static final Redrives NONE = new Redrives(0, null);
    }

    StateScope(ExecutionIdentity identity, Redrives redrives, JsonNode executionInput, String stateName,
               Instant enteredTime, Variables variables, JsonNode stateInput) {
        this(identity, redrives, executionInput, stateName, enteredTime, variables, 0, stateInput, -1, null, stateInput,
                null, null);
    }

    private StateScope(ExecutionIdentity identity, Redrives redrives, JsonNode executionInput, String stateName, Instant enteredTime,
                       Variables variables, int retryCount, JsonNode data,
                       int itemIndex, JsonNode itemValue, JsonNode stateInput, JsonNode result, JsonNode errorOutput) {
        this.stateInput = stateInput;
        this.result = result;
        this.errorOutput = errorOutput;
        this.identity = identity;
        this.redrives = redrives;
        this.executionInput = executionInput;
        this.variables = variables;
        this.stateName = stateName;
        this.enteredTime = enteredTime;
        this.retryCount = retryCount;
        this.data = data;
        this.itemIndex = itemIndex;
        this.itemValue = itemValue;
    }

    /** When the state was entered (recorded, so the same after a restart). */
    Instant enteredTime() {
        return enteredTime;
    }

    /** Makes {@code $$.Task.Token} this token (in this scope and the scopes made from it). */
    void taskToken(String token) {
        this.taskToken = token;
    }

    private StateScope withToken(StateScope copy) {
        copy.taskToken = taskToken;
        return copy;
    }

    @Override
    public StateScope on(JsonNode input) {
        return withToken(new StateScope(identity, redrives, executionInput, stateName, enteredTime, variables, retryCount, input, -1,
                null, stateInput, result, errorOutput));
    }

    StateScope onItem(JsonNode input, int index, JsonNode value) {
        return withToken(new StateScope(identity, redrives, executionInput, stateName, enteredTime, variables, retryCount, input,
                index, value, stateInput, result, errorOutput));
    }

    /** The same scope where {@code $states.result} is the state's result. */
    StateScope withResult(JsonNode stateResult) {
        return withToken(new StateScope(identity, redrives, executionInput, stateName, enteredTime, variables, retryCount, data,
                itemIndex, itemValue, stateInput, stateResult, errorOutput));
    }

    /** The same scope where {@code $states.errorOutput} is the error a Catcher caught. */
    StateScope withErrorOutput(JsonNode caught) {
        return withToken(new StateScope(identity, redrives, executionInput, stateName, enteredTime, variables, retryCount, data,
                itemIndex, itemValue, stateInput, result, caught));
    }

    @Override
    public JsonNode stateInput() {
        return stateInput;
    }

    @Override
    public JsonNode result() {
        return result;
    }

    @Override
    public JsonNode errorOutput() {
        return errorOutput;
    }

    @Override
    public JsonNode input() {
        return data;
    }

    @Override
    public JsonNode variable(String name) {
        return variables.get(name);
    }

    @Override
    public JsonNode context() {
        ObjectNode ctx = JsonText.NODES.objectNode();
        ObjectNode execution = ctx.putObject("Execution");
        execution.put("Id", identity.executionArn());
        execution.set("Input", executionInput);
        execution.put("Name", identity.name());
        execution.put("RoleArn", identity.roleArn());
        execution.put("StartTime", CONTEXT_TIME.format(identity.startTime()));
        execution.put("RedriveCount", redrives.count());
        if (redrives.last() != null) {
            execution.put("RedriveTime", CONTEXT_TIME.format(redrives.last()));
        }
        ObjectNode state = ctx.putObject("State");
        state.put("EnteredTime", CONTEXT_TIME.format(enteredTime));
        state.put("Name", stateName);
        state.put("RetryCount", retryCount);
        ObjectNode machine = ctx.putObject("StateMachine");
        machine.put("Id", identity.stateMachineArn());
        machine.put("Name", identity.stateMachineName());
        if (taskToken != null) {
            ctx.putObject("Task").put("Token", taskToken);
        }
        if (itemIndex >= 0) {
            ObjectNode item = ctx.putObject("Map").putObject("Item");
            item.put("Index", itemIndex);
            item.set("Value", itemValue);
        }
        return ctx;
    }
}
