package com.orderflow.local.engine.run;

import com.orderflow.local.engine.definition.ChoiceRule;
import com.orderflow.local.engine.definition.State;
import com.orderflow.local.engine.expr.JsonText;
import com.orderflow.local.engine.expr.PayloadTemplate;
import com.orderflow.local.engine.expr.StateFailure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/** Pass, Choice, Wait and Fail states, and the Retry and Catch rules around a Task, Parallel or Map attempt. */
final class FlowSteps {

    private final ExecutionRun run;

    FlowSteps(ExecutionRun run) {
        this.run = run;
    }


    JsonNode pass(State.Pass p, JsonNode raw, StateScope scope, Cursor cursor) {
        JsonNode effective = p.io().arguments(p.io().effectiveInput(raw, scope), scope);
        JsonNode result = p.result() != null ? p.result() : effective;
        return StateIo.applyResult(p.io(), raw, result, scope, cursor);
    }


    Step choice(State.Choice c, JsonNode raw, StateScope scope, Cursor cursor) {
        JsonNode effective = c.io().effectiveInput(raw, scope);
        StateScope on = scope.on(effective);
        ChoiceRule.Branch matched = null;
        for (ChoiceRule.Branch b : c.choices()) {
            if (b.rule().test(on)) {
                matched = b;
                break;
            }
        }
        String next = matched != null ? matched.next() : c.defaultNext();
        if (next == null) {
            throw StateFailure.engine(StateFailure.NO_CHOICE_MATCHED,
                    "No Choice Rules matched the input and no Default was specified.");
        }
        // a JSONata rule that matched outputs and assigns by its own fields where it has them, else by the state's
        JsonNode output = matched != null && matched.output() != null ? matched.output().evaluate(on)
                : c.io().output(effective, scope);
        if (matched != null && matched.assign() != null) {
            StateIo.assign(matched.assign(), effective, scope, cursor);
        } else {
            StateIo.assign(c.io(), effective, scope, cursor);
        }
        return run.walk.exit(c, cursor, output, next);
    }

    Step waitState(State.Wait w, JsonNode raw, StateScope scope, Cursor cursor) {
        JsonNode effective = w.io().effectiveInput(raw, scope);
        // a deadline from the state's entry, so that a restart keeps it
        Instant deadline;
        if (w.expression() != null) {
            deadline = expressionDeadline(w, scope);
        } else if (w.seconds() != null) {
            deadline = scope.enteredTime().plusSeconds(w.seconds());
        } else if (w.timestamp() != null) {
            deadline = w.timestamp();
        } else if (w.secondsPath() != null) {
            String p = w.secondsPath().text();
            JsonNode v = w.secondsPath().readIn(scope.on(effective));
            if (v == null) {
                throw StateFailure.engine(StateFailure.RUNTIME,
                        "The SecondsPath parameter does not reference an input value: " + p);
            }
            if (!v.isIntegralNumber()) {
                throw StateFailure.engine(StateFailure.RUNTIME,
                        "The SecondsPath parameter does not reference a valid integer value: " + p + " == " + plain(v));
            }
            if (v.asLong() < 0) {
                throw StateFailure.engine(StateFailure.RUNTIME,
                        "The SecondsPath parameter references a negative value: " + p + " == " + plain(v));
            }
            deadline = scope.enteredTime().plusSeconds(v.asLong());
        } else {
            String p = w.timestampPath().text();
            JsonNode v = w.timestampPath().readIn(scope.on(effective));
            if (v == null) {
                throw StateFailure.engine(StateFailure.RUNTIME,
                        "The TimestampPath parameter does not reference an input value: " + p);
            }
            Instant at = v.isTextual() ? ChoiceRule.timestamp(v.textValue()) : null;
            if (at == null) {
                throw StateFailure.engine(StateFailure.RUNTIME, "The TimestampPath parameter does not reference a "
                        + "valid ISO-8601 extended offset date-time format string: " + p + " == " + plain(v));
            }
            deadline = at;
        }
        try {
            run.sleepUntil(deadline);
        } catch (InterruptedException e) {
            throw Stopped.INSTANCE;
        }
        JsonNode output = w.io().output(effective, scope);
        StateIo.assign(w.io(), effective, scope, cursor);
        return run.walk.exit(w, cursor, output, w.next());
    }

    /** A JSONata Wait's deadline: its Seconds expression from the state's entry, or its Timestamp expression. */
    private static Instant expressionDeadline(State.Wait w, StateScope scope) {
        JsonNode v = w.expression().evaluate(scope);
        if (w.expressionIsSeconds()) {
            if (!v.isIntegralNumber() || v.asLong() < 0) {
                throw w.expression().unexpectedType("Seconds", "non-negative integer", v);
            }
            return scope.enteredTime().plusSeconds(v.asLong());
        }
        Instant at = v.isTextual() ? ChoiceRule.timestamp(v.textValue()) : null;
        if (at == null) {
            throw w.expression().unexpectedType("Timestamp", "timestamp", v);
        }
        return at;
    }

    private static String plain(JsonNode v) {
        return v.isTextual() ? v.textValue() : JsonText.write(v);
    }

    StateFailure fail(State.Fail f, JsonNode raw, StateScope scope) {
        String error = f.error();
        String cause = f.cause();
        if (f.errorPath() != null) {
            error = dynamicText(f.errorPath(), raw, scope);
        }
        if (f.causePath() != null) {
            cause = dynamicText(f.causePath(), raw, scope);
        }
        return new StateFailure(error, cause);
    }

    private static String dynamicText(PayloadTemplate template, JsonNode raw, StateScope scope) {
        JsonNode v = template.evaluate(scope.on(raw));
        return v.isTextual() ? v.textValue() : JsonText.write(v);
    }

    /** Runs a Task/Parallel/Map attempt under its Retry and Catch rules. */
    Step withRetry(State state, List<State.Retrier> retriers, List<State.Catcher> catchers, JsonNode raw,
                           StateScope scope, Cursor cursor, long entered, Supplier<Step> attempt) {
        int[] attempts = new int[retriers.size()];
        while (true) {
            try {
                return attempt.get();
            } catch (StateFailure raised) {
                StateFailure f = run.walk.evaluationFailed(state, raised.located(state.name(), entered), cursor);
                if (f.terminal()) {
                    throw f;
                }
                int r = RetryPolicy.matching(retriers.stream().map(State.Retrier::errorEquals).toList(), f.error());
                if (r >= 0 && attempts[r] < retriers.get(r).maxAttempts()) {
                    // the same jitter draw after a restart, so the backoff keeps its deadline
                    long seed = run.identity.executionArn().hashCode() * 0x9E3779B97F4A7C15L + entered * 31 + scope.retryCount;
                    double delay = RetryPolicy.delaySeconds(retriers.get(r), attempts[r], seed);
                    attempts[r]++;
                    scope.retryCount++;
                    // counted from the failure, so a restart during the backoff keeps the deadline
                    Instant deadline = run.event(cursor.last).timestamp().plusNanos((long) (delay * 1e9));
                    try {
                        run.sleepUntil(deadline);
                    } catch (InterruptedException e) {
                        throw Stopped.INSTANCE;
                    }
                    run.alive();
                    continue;
                }
                int c = RetryPolicy.matching(catchers.stream().map(State.Catcher::errorEquals).toList(), f.error());
                if (c < 0) {
                    throw f;
                }
                State.Catcher catcher = catchers.get(c);
                ObjectNode errorOutput = JsonText.NODES.objectNode();
                errorOutput.put("Error", f.error());
                if (f.cause() != null) {
                    errorOutput.put("Cause", f.cause());
                }
                StateScope caught = scope.withErrorOutput(errorOutput);
                ObjectNode assigned = StateIo.assignments(catcher.assign(), errorOutput, caught);
                JsonNode output;
                if (catcher.output() != null) {
                    output = catcher.output().evaluate(caught.on(raw));
                } else if (catcher.resultPath() == null) {
                    output = raw;
                } else {
                    output = catcher.resultPath().set(raw, errorOutput);
                    if (output == null) {
                        throw StateFailure.engine(StateFailure.RUNTIME, "Unable to apply ResultPath '"
                                + catcher.resultPath().text() + "' to input '" + JsonText.write(raw) + "'")
                                .located(state.name(), entered);
                    }
                }
                StateIo.assign(assigned, cursor);
                return run.walk.exit(state, cursor, output, catcher.next());
            }
        }
    }
}
