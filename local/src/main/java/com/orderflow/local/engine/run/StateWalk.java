package com.orderflow.local.engine.run;

import com.orderflow.local.engine.EventDetails;
import com.orderflow.local.engine.definition.State;
import com.orderflow.local.engine.expr.JsonText;
import com.orderflow.local.engine.expr.StateFailure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An execution's walk through a graph of states: each state entered, run by the step for its type, and exited,
 * with the entered and exited events that carry its input and output.
 */
final class StateWalk {

    private final ExecutionRun run;
    private final TaskStep taskStep;
    private final BranchSteps branchSteps;
    private final FlowSteps flowSteps;

    StateWalk(ExecutionRun run) {
        this.run = run;
        this.taskStep = new TaskStep(run);
        this.branchSteps = new BranchSteps(run);
        this.flowSteps = new FlowSteps(run);
    }

    JsonNode runGraph(State.Graph graph, JsonNode data, Cursor cursor) {
        String name = graph.startAt();
        while (true) {
            run.alive();
            State state = graph.states().get(name);
            Step step = runState(state, data, cursor);
            if (step.next() == null) {
                return step.output();
            }
            name = step.next();
            data = step.output();
        }
    }

    private Step runState(State state, JsonNode raw, Cursor cursor) {
        String inputText = raw == cursor.lastOutput ? cursor.lastOutputText : JsonText.write(raw);
        long entered = run.record(StateEvents.entered(state), cursor.last,
                new EventDetails.StateEntered(state.name(), inputText));
        cursor.last = entered;
        if (cursor.firstEntry != null) {
            cursor.firstEntry.countDown();
            cursor.firstEntry = null;
        }
        var scope = new StateScope(run.identity, run.redrives, run.input, state.name(), run.event(entered).timestamp(), cursor.variables,
                raw);
        try {
            return switch (state) {
                case State.Pass p -> exit(p, cursor, flowSteps.pass(p, raw, scope, cursor), p.next());
                case State.Succeed s -> exit(s, cursor, s.io().output(s.io().effectiveInput(raw, scope), scope), null);
                case State.Choice c -> flowSteps.choice(c, raw, scope, cursor);
                case State.Wait w -> flowSteps.waitState(w, raw, scope, cursor);
                case State.Fail f -> throw flowSteps.fail(f, raw, scope);
                case State.Task t -> flowSteps.withRetry(t, t.retry(), t.catchers(), raw, scope, cursor, entered,
                        () -> taskStep.task(t, raw, scope, cursor));
                case State.Parallel p -> flowSteps.withRetry(p, p.retry(), p.catchers(), raw, scope, cursor, entered,
                        () -> branchSteps.parallel(p, raw, scope, cursor));
                case State.MapState m -> flowSteps.withRetry(m, m.retry(), m.catchers(), raw, scope, cursor, entered,
                        () -> branchSteps.map(m, raw, scope, cursor));
            };
        } catch (StateFailure f) {
            throw evaluationFailed(state, f.located(state.name(), entered), cursor);
        }
    }

    /** Records AWS's EvaluationFailed event for a failed JSONata expression, once; the failure goes on. */
    StateFailure evaluationFailed(State state, StateFailure f, Cursor cursor) {
        if (f.evaluationLocation() == null) {
            return f;
        }
        ObjectNode details = JsonText.NODES.objectNode();
        details.putObject("evaluationFailedEventDetails").put("error", f.error()).put("cause", f.cause())
                .put("location", f.evaluationLocation()).put("state", state.name());
        cursor.last = run.record("EvaluationFailed", cursor.last, details);
        return f.evaluationRecorded();
    }

    Step exit(State state, Cursor cursor, JsonNode output, String next) {
        String text = JsonText.write(output);
        checkSize(state.name(), text);
        EventDetails details = new EventDetails.StateExited(state.name(), text);
        if (cursor.assigned != null) {
            ObjectNode tree = details.tree();
            ObjectNode d = (ObjectNode) tree.get("stateExitedEventDetails");
            ObjectNode vars = d.putObject("assignedVariables");
            cursor.assigned.properties().forEach(e -> vars.put(e.getKey(), JsonText.write(e.getValue())));
            d.putObject("assignedVariablesDetails").put("truncated", false);
            cursor.assigned = null;
            details = new EventDetails.Tree(tree);
        }
        cursor.last = run.record(StateEvents.exited(state), cursor.last, details);
        if (run.replayed(cursor.last)) {
            // what the state produced before the restart stands, even where it is not reproducible ($$ times, UUIDs)
            JsonNode recorded = run.event(cursor.last).details().path("stateExitedEventDetails");
            output = JsonText.readValue(recorded.path("output").asText());
            text = recorded.path("output").asText();
            JsonNode vars = recorded.path("assignedVariables");
            if (vars.isObject() && !vars.isEmpty()) {
                ObjectNode restored = JsonText.NODES.objectNode();
                vars.properties().forEach(e -> restored.set(e.getKey(), JsonText.readValue(e.getValue().asText())));
                cursor.variables.assign(restored);
            }
        }
        cursor.lastOutput = output;
        cursor.lastOutputText = text;
        return new Step(next, output);
    }

    static void checkSize(String name, String text) {
        if (text.length() > ExecutionRun.MAX_PAYLOAD_BYTES / 4 && JsonText.utf8Length(text) > ExecutionRun.MAX_PAYLOAD_BYTES) {
            throw StateFailure.engine(StateFailure.DATA_LIMIT_EXCEEDED, "The state/task '" + name
                    + "' returned a result with a size exceeding the maximum number of bytes service limit.");
        }
    }
}
