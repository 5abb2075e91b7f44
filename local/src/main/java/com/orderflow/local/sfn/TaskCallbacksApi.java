package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.ApiJson.object;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.TaskToken;
import com.orderflow.local.engine.run.AslEngine;
import com.orderflow.local.engine.run.Callbacks;
import com.orderflow.local.store.WorkflowStore;

/**
 * SendTaskSuccess, SendTaskFailure and SendTaskHeartbeat: a worker's answer for the task its token names, with
 * AWS's errors (InvalidToken, InvalidOutput, TaskDoesNotExist, TaskTimedOut).
 */
final class TaskCallbacksApi {

    /** AWS's model limits: a token of 1 to 2,048 characters, an output of 256 KiB (characters). */
    private static final int MAX_TOKEN = 2048;
    private static final int MAX_OUTPUT = 262_144;

    private static final ObjectReader STRICT_JSON = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final AslEngine engine;
    private final WorkflowStore store;

    TaskCallbacksApi(AslEngine engine, WorkflowStore store) {
        this.engine = engine;
        this.store = store;
    }

    ObjectNode sendTaskSuccess(ActionRequest request) {
        var token = token(request);
        var outputText = request.requiredString("output");
        if (outputText.length() > MAX_OUTPUT) {
            throw StepFunctionsException.validation("1 validation error detected: Value at 'output' failed to satisfy"
                    + " constraint: Member must have length less than or equal to " + MAX_OUTPUT);
        }
        JsonNode output;
        try {
            output = STRICT_JSON.readTree(outputText);
        } catch (JsonProcessingException e) {
            throw new StepFunctionsException("InvalidOutput", "Invalid Output: '" + e.getOriginalMessage() + "'");
        }
        if (output == null || output.isMissingNode()) {
            throw new StepFunctionsException("InvalidOutput", "Invalid Output: 'No content to map due to end-of-input'");
        }
        return answered(token, engine.callbacks().succeed(token.encode(), output, outputText));
    }

    ObjectNode sendTaskFailure(ActionRequest request) {
        var token = token(request);
        var error = request.string("error", 256);
        var cause = request.string("cause", 32_768);
        return answered(token, engine.callbacks().fail(token.encode(), error, cause));
    }

    ObjectNode sendTaskHeartbeat(ActionRequest request) {
        var token = token(request);
        return answered(token, engine.callbacks().heartbeat(token.encode(), engine.clock().now()));
    }

    private static TaskToken token(ActionRequest request) {
        var text = request.string("taskToken", MAX_TOKEN);
        if (text == null || text.isEmpty()) {
            throw StepFunctionsException.validation("1 validation error detected: Value null at 'taskToken' failed to"
                    + " satisfy constraint: Member must not be null");
        }
        return TaskToken.decode(text).orElseThrow(() ->
                new StepFunctionsException("InvalidToken", "Invalid Token: 'Invalid token'"));
    }

    /** A token no task waits on: its task ended (AWS: TaskTimedOut), or its execution is unknown here. */
    private ObjectNode answered(TaskToken token, Callbacks.Delivery delivery) {
        if (delivery == Callbacks.Delivery.DELIVERED) {
            return object();
        }
        if (store.find(token.executionArn()).isPresent()) {
            throw new StepFunctionsException("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
        }
        throw new StepFunctionsException("TaskDoesNotExist", "Task Does Not Exist: 'Provided task does not exist'");
    }
}
