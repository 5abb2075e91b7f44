package com.orderflow.local.engine.run;

import com.orderflow.local.engine.EngineClock;
import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.engine.definition.StateMachineDefinition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs definitions on an accelerated engine and parses JSON for the engine's unit tests. */
public final class EngineFixture {

    public static final ObjectMapper MAPPER = new ObjectMapper();
    public static final AslEngine ENGINE = new AslEngine(EngineClock.accelerated(1000));

    private EngineFixture() {
    }

    public static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static ExecutionIdentity identity(String name) {
        return new ExecutionIdentity("arn:aws:states:us-east-1:000000000000:execution:sm:" + name, name,
                "arn:aws:states:us-east-1:000000000000:stateMachine:sm", "sm",
                "arn:aws:iam::000000000000:role/r", Instant.parse("2024-01-02T03:04:05.678Z"));
    }

    public record Result(ExecutionOutcome outcome, List<HistoryEvent> history) {
        public JsonNode output() {
            return ((ExecutionOutcome.Succeeded) outcome).output();
        }

        public ExecutionOutcome.Failed failed() {
            return (ExecutionOutcome.Failed) outcome;
        }

        public List<String> types() {
            return history.stream().map(HistoryEvent::type).toList();
        }
    }

    public static Result run(String definition, String input) {
        return run(definition, input, (r, in, ctx) -> in);
    }

    public static Result run(String definition, String input, TaskInvoker tasks) {
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
