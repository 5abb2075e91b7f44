package com.orderflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.TaskContext;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.journal.ExecutionJournal;
import com.orderflow.local.sfn.ExecutionRecord;
import com.orderflow.order.FailureInfo;
import com.orderflow.order.OrderOutcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Ends the executions a previous run left RUNNING (it was stopped or killed mid-workflow): the
 * engine cannot resume them, so each one's order is compensated and stored FAILED the way the
 * workflow's own failure path does it (ReleaseInventory, VoidPayment, then PersistOrder with
 * status FAILED; all idempotent by order id), and the execution is recorded FAILED with
 * {@code States.Runtime}. None vanishes, and the history up to the interruption stays readable.
 */
final class InterruptedExecutionRecovery {

    static final String ERROR = "States.Runtime";
    static final String CAUSE = "local stack restarted while the execution was running";

    /** The Lambda functions the failure path calls, by alias ARN. */
    record Functions(String releaseInventoryArn, String voidPaymentArn, String persistOrderArn) {
    }

    /** What happened to one interrupted execution. */
    record Recovered(String executionArn, String orderId, boolean orderStoredFailed, String problem) {
    }

    private final ExecutionJournal journal;
    private final TaskInvoker tasks;
    private final Functions functions;
    private final Clock clock;
    private final Consumer<String> log;

    InterruptedExecutionRecovery(ExecutionJournal journal, TaskInvoker tasks, Functions functions, Clock clock,
                                 Consumer<String> log) {
        this.journal = journal;
        this.tasks = tasks;
        this.functions = functions;
        this.clock = clock;
        this.log = log;
    }

    List<Recovered> recoverAll() {
        var recovered = new ArrayList<Recovered>();
        for (ExecutionRecord record : journal.interrupted()) {
            recovered.add(recover(record));
        }
        return recovered;
    }

    private Recovered recover(ExecutionRecord record) {
        JsonNode order = orderOf(record);
        String orderId = order == null ? null : order.path("orderId").asText(null);
        String problem = null;
        if (orderId != null) {
            try {
                compensateAndPersistFailed(record, order, orderId);
            } catch (TaskFailedException e) {
                problem = e.error() + ": " + e.cause();
                log.accept("could not store order " + orderId + " as FAILED: " + problem);
            }
        }
        String cause = CAUSE + (orderId == null ? ""
                : problem == null ? "; the order was compensated and stored as FAILED"
                : "; storing the order as FAILED failed too (" + problem + ")");
        journal.fail(record, ERROR, cause, clock.instant());
        log.accept(record.name() + " was running when the stack stopped: execution FAILED (" + ERROR + ")"
                + (orderId == null ? "" : problem == null ? ", order compensated and stored FAILED"
                : ", order NOT stored FAILED: " + problem));
        return new Recovered(record.executionArn(), orderId, orderId != null && problem == null, problem);
    }

    private void compensateAndPersistFailed(ExecutionRecord record, JsonNode order, String orderId)
            throws TaskFailedException {
        ObjectNode byId = Json.mapper().createObjectNode().put("orderId", orderId);
        tasks.invoke(functions.releaseInventoryArn(), byId, context(record, "ReleaseReservation"));
        tasks.invoke(functions.voidPaymentArn(), byId, context(record, "VoidAuthorization"));
        ObjectNode persist = Json.mapper().createObjectNode();
        persist.set("order", order);
        persist.set("outcome", Json.mapper().valueToTree(OrderOutcome.failed(new FailureInfo(ERROR, CAUSE))));
        persist.put("executionArn", record.executionArn());
        tasks.invoke(functions.persistOrderArn(), persist, context(record, "PersistFailed"));
    }

    private static TaskContext context(ExecutionRecord record, String state) {
        return new TaskContext(record.executionArn(), record.name(), record.stateMachineArn(), state, 0, 30);
    }

    private static JsonNode orderOf(ExecutionRecord record) {
        try {
            JsonNode input = Json.mapper().readTree(record.input());
            JsonNode order = input == null ? null : input.get("order");
            return order != null && order.isObject() && order.path("orderId").isTextual() ? order : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
