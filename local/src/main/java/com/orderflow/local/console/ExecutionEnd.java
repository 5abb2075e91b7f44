package com.orderflow.local.console;

import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.store.StoredExecution;

import com.orderflow.local.engine.expr.JsonText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one execution ended, told the way a developer asks about an order: its final status (the order's own, when
 * the output carries one, as orderflow's {@code outcome.status} does), how long it took, and, when something failed,
 * which state failed with which error. Read from the execution's durable history, once, when it has ended.
 *
 * @param name            the execution's name (orderflow names each execution after its order)
 * @param stateMachine    the state machine's name
 * @param execution       the execution's own status
 * @param status          the order's status when the output says one, else the execution's status
 * @param duration        from start to the closing event
 * @param failedState     the state whose failure ended the run (retried-away failures do not count), if any
 * @param error           that failure's error, or the execution's when no state failed
 * @param detail          that failure's cause, or the order's reason when it was rejected
 */
public record ExecutionEnd(String name, String stateMachine, ExecutionStatus execution, String status,
                           Duration duration, Optional<String> failedState, Optional<String> error,
                           Optional<String> detail) {

    /** Whether this is worth a user's attention even when the console is quiet. */
    public boolean failed() {
        return execution != ExecutionStatus.SUCCEEDED || status.equals("FAILED");
    }

    /**
     * How {@code stored} ended, told by the engine as {@code outcome}: a success is read from the outcome's output and
     * the durable stop date, without reading the closing event back from the store and parsing its output again (at
     * thousands of executions a second that was a tenth of the stack's CPU); anything else from the history.
     */
    public static Optional<ExecutionEnd> of(StoredExecution stored, ExecutionOutcome outcome) {
        var stopDate = stored.stopDate();
        if (outcome instanceof ExecutionOutcome.Succeeded succeeded && stopDate != null
                && stored.status() == ExecutionStatus.SUCCEEDED) {
            return Optional.of(succeeded(stored, Duration.between(stored.startDate(), stopDate), succeeded.output()));
        }
        return of(stored);
    }

    private static ExecutionEnd succeeded(StoredExecution stored, Duration duration, JsonNode output) {
        var execution = ExecutionStatus.SUCCEEDED;
        JsonNode outcome = output.path("outcome");
        String status = outcome.path("status").isTextual() ? outcome.path("status").asText() : execution.name();
        Optional<String> reason = text(outcome.path("reason"));
        return new ExecutionEnd(stored.name(), stored.stateMachineName(), execution, status, duration,
                Optional.empty(), Optional.empty(), status.equals(execution.name()) ? Optional.empty() : reason);
    }

    /** Reads how {@code stored} ended from its durable history; empty while it still runs. */
    public static Optional<ExecutionEnd> of(StoredExecution stored) {
        HistoryEvent closing = stored.closing();
        if (closing == null) {
            return Optional.empty();
        }
        var duration = Duration.between(stored.startDate(), closing.timestamp());
        var execution = stored.status();
        if (execution == ExecutionStatus.SUCCEEDED) {
            return Optional.of(succeeded(stored, duration,
                    parse(closing.details().path("executionSucceededEventDetails").path("output").asText(""))));
        }
        var details = closing.details();
        JsonNode closed = details.elements().hasNext() ? details.elements().next() : JsonText.NODES.nullNode();
        var cause = FirstUnrecoveredFailure.in(stored.history());
        return Optional.of(new ExecutionEnd(stored.name(), stored.stateMachineName(), execution, execution.name(),
                duration, cause.map(Failure::state),
                cause.map(Failure::error).or(() -> text(closed.path("error"))),
                cause.map(Failure::cause).orElseGet(() -> text(closed.path("cause")).map(ExecutionEnd::readable))));
    }

    private static JsonNode parse(String json) {
        try {
            return json.isEmpty() ? JsonText.NODES.nullNode() : JsonText.read(json);
        } catch (JsonProcessingException e) {
            return JsonText.NODES.nullNode();
        }
    }

    /** A Lambda function's error document says most in its {@code errorMessage}; any other cause stays as it is. */
    private static String readable(String cause) {
        JsonNode document = cause.startsWith("{") ? parse(cause) : JsonText.NODES.nullNode();
        return text(document.path("errorMessage")).orElse(cause);
    }

    private static Optional<String> text(JsonNode node) {
        return node.isTextual() && !node.asText().isBlank() ? Optional.of(node.asText()) : Optional.empty();
    }

    private record Failure(String state, String error, Optional<String> cause) {
    }

    /**
     * The failure that ended a run: a state's failure that no later success of the same state recovered from (a retry
     * that worked), the earliest one when several remain, as that is where compensation began.
     */
    private static final class FirstUnrecoveredFailure {

        static Optional<Failure> in(List<HistoryEvent> history) {
            Map<Long, HistoryEvent> byId = new HashMap<>();
            Map<String, Failure> unrecovered = new LinkedHashMap<>();
            for (HistoryEvent event : history) {
                byId.put(event.id(), event);
                String type = event.type();
                if (type.startsWith("Execution") || type.endsWith("StateEntered") || type.endsWith("StateExited")) {
                    continue;
                }
                Optional<String> state = stateOf(event, byId);
                if (state.isEmpty()) {
                    continue;
                }
                if (type.endsWith("Failed") || type.endsWith("TimedOut")) {
                    var tree = event.details();
                    JsonNode details = tree.elements().hasNext() ? tree.elements().next() : JsonText.NODES.nullNode();
                    unrecovered.putIfAbsent(state.get(), new Failure(state.get(),
                            text(details.path("error")).orElse(type), text(details.path("cause")).map(ExecutionEnd::readable)));
                } else if (type.endsWith("Succeeded")) {
                    unrecovered.remove(state.get());
                }
            }
            return unrecovered.values().stream().findFirst();
        }

        /** The state an event belongs to: follow previousEventId back to the state's StateEntered event. */
        private static Optional<String> stateOf(HistoryEvent event, Map<Long, HistoryEvent> byId) {
            HistoryEvent at = event;
            for (int hops = 0; at != null && hops < 64; hops++) {
                if (at.type().endsWith("StateEntered")) {
                    return text(at.details().path("stateEnteredEventDetails").path("name"));
                }
                at = byId.get(at.previousEventId());
            }
            return Optional.empty();
        }
    }
}
