package com.orderflow.local.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs definitions on an accelerated engine and parses JSON for the engine's unit tests. */
final class EngineFixture {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final AslEngine ENGINE = new AslEngine(EngineClock.accelerated(1000));

    private EngineFixture() {
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ExecutionIdentity identity(String name) {
        return new ExecutionIdentity("arn:aws:states:us-east-1:000000000000:execution:sm:" + name, name,
                "arn:aws:states:us-east-1:000000000000:stateMachine:sm", "sm",
                "arn:aws:iam::000000000000:role/r", Instant.parse("2024-01-02T03:04:05.678Z"));
    }

    record Result(ExecutionOutcome outcome, List<HistoryEvent> history) {
        JsonNode output() {
            return ((ExecutionOutcome.Succeeded) outcome).output();
        }

        ExecutionOutcome.Failed failed() {
            return (ExecutionOutcome.Failed) outcome;
        }

        List<String> types() {
            return history.stream().map(HistoryEvent::type).toList();
        }
    }

    static Result run(String definition, String input) {
        return run(definition, input, (r, in, ctx) -> in);
    }

    static Result run(String definition, String input, TaskInvoker tasks) {
        try {
            var def = StateMachineDefinition.parse(definition);
            var execution = ENGINE.start(def, identity("e1"), json(input), tasks, e -> { });
            ExecutionOutcome outcome = execution.completion().get(30, TimeUnit.SECONDS);
            return new Result(outcome, execution.history());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
