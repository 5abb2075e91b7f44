package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.s3.LocalS3Server;
import com.orderflow.local.store.EventLog;
import com.orderflow.local.store.WorkflowStore;
import com.orderflow.order.Order;
import com.orderflow.order.OrderOutcome;
import com.orderflow.workflow.PersistOrderInput;
import com.orderflow.workflow.persist.PersistOrderHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** The stack on a data directory: what was stored and run before a restart is there after it. */
class LocalStackRestartTest {

    private static final List<String> PAYLOADS = List.of("order-completed.json", "order-invalid.json",
            "order-out-of-stock.json", "order-payment-declined.json", "order-payment-flaky.json",
            "order-payment-gateway-error.json");

    @TempDir
    Path dataDir;

    @Test
    void restart_onTheSameDataDir_keepsEveryOrderItsVersionsAndEveryExecutionHistory() throws Exception {
        // given a first run that processed every payload
        var statusById = new LinkedHashMap<String, String>();
        var historyById = new LinkedHashMap<String, List<String>>();
        try (var first = RunningStack.persistent(dataDir)) {
            for (String file : PAYLOADS) {
                statusById.put(first.accept(RunningStack.payload(file), null), null);
            }
            for (String orderId : statusById.keySet()) {
                statusById.put(orderId, first.awaitFinal(orderId).path("status").asText());
                historyById.put(orderId, types(first.history(orderId)));
            }
        }

        // when the stack starts again on the same directory
        try (var second = RunningStack.persistent(dataDir)) {
            // then every order, its versions and its execution are still there, unchanged
            assertThat(second.progress).anyMatch(line -> line.contains(statusById.size() + " executions in"));
            var listed = new ArrayList<String>();
            second.getJson("/orders?limit=100").path("orders").forEach(o -> listed.add(o.path("orderId").asText()));
            assertThat(listed).containsExactlyInAnyOrderElementsOf(statusById.keySet());
            for (Map.Entry<String, String> order : statusById.entrySet()) {
                String orderId = order.getKey();
                assertThat(second.getJson("/orders/" + orderId).path("status").asText()).isEqualTo(order.getValue());
                assertThat(LocalStackEndToEndTest.statuses(second.getJson("/orders/" + orderId + "/history").path("versions")))
                        .containsExactly("RECEIVED", order.getValue());
                assertThat(types(second.history(orderId))).isEqualTo(historyById.get(orderId));
                assertThat(second.sfn.describeExecution(b -> b.executionArn(second.executionArn(orderId))).statusAsString())
                        .isEqualTo(order.getValue().equals("FAILED") ? "FAILED" : "SUCCEEDED");
            }
            // and new orders are accepted as before
            String next = second.accept(RunningStack.payload("order-completed.json"), null);
            assertThat(second.awaitFinal(next).path("status").asText()).isEqualTo("COMPLETED");
        }
    }

    @Test
    void executionLeftRunningByAStop_resumesFromItsLastEvent_andItsOrderCompletes() throws Exception {
        // given a store holding an execution that had entered its first state when the process stopped
        String orderId = "ord_0crash0000000000000000000a";
        String smArn = "arn:aws:states:us-east-1:000000000000:stateMachine:" + LocalStack.STATE_MACHINE_NAME;
        String executionArn = "arn:aws:states:us-east-1:000000000000:execution:" + LocalStack.STATE_MACHINE_NAME + ":" + orderId;
        ObjectNode order = (ObjectNode) Json.mapper().readTree(RunningStack.payload("order-completed.json"));
        order.put("orderId", orderId);
        try (var first = RunningStack.persistent(dataDir)) {
            // the stack creates its state machine; no order yet
            assertThat(first.sfn.listExecutions(b -> b.stateMachineArn(smArn)).executions()).isEmpty();
        }
        var config = RunningStack.config(dataDir, false);
        try (var s3 = LocalS3Server.start(java.net.InetAddress.getLoopbackAddress(), 0, Optional.of(config.s3DataDir()), java.time.Duration.ZERO); var client = s3.newClient()) {
            new PersistOrderHandler(client, config.bucket(), Clock.systemUTC()).handleRequest(new PersistOrderInput(
                    Json.mapper().treeToValue(order, Order.class), OrderOutcome.received(), executionArn), null);
        }
        try (var store = WorkflowStore.open(config.storeDir(), EventLog.Options.defaults())) {
            long revision = store.machineRevisions().stream().filter(r -> r.arn().equals(smArn))
                    .mapToLong(WorkflowStore.MachineRevision::revision).max().orElseThrow();
            var input = Json.mapper().createObjectNode().<ObjectNode>set("order", order).put("requestHash", "0".repeat(64));
            var execution = store.claim(new WorkflowStore.NewExecution(executionArn, orderId, smArn,
                    LocalStack.STATE_MACHINE_NAME, revision, Instant.now(), null)).execution();
            Instant now = Instant.now();
            var started = Json.mapper().createObjectNode();
            started.putObject("executionStartedEventDetails").put("input", input.toString());
            execution.record(new HistoryEvent(1, 0, now, "ExecutionStarted", started), null);
            var entered = Json.mapper().createObjectNode();
            entered.putObject("stateEnteredEventDetails").put("name", "RecordReceived").put("input", input.toString());
            execution.record(new HistoryEvent(2, 1, now, "TaskStateEntered", entered), null);
            // no end: the process stopped here
        }

        // when the stack starts on that directory
        try (var running = RunningStack.persistent(dataDir)) {
            // then the execution carries on from RecordReceived (invoked again: at-least-once) and the order completes
            assertThat(running.progress).anyMatch(line -> line.contains("1 resumed where the last stop left them"));
            assertThat(running.awaitFinal(orderId).path("status").asText()).isEqualTo("COMPLETED");
            var history = types(running.history(orderId));
            assertThat(history.subList(0, 3)).containsExactly("ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled");
            assertThat(history).containsOnlyOnce("ExecutionStarted").endsWith("ExecutionSucceeded");
            assertThat(running.history(orderId).getLast().type()).isEqualTo(HistoryEventType.EXECUTION_SUCCEEDED);
            assertThat(LocalStackEndToEndTest.statuses(running.getJson("/orders/" + orderId + "/history").path("versions")))
                    .containsExactly("RECEIVED", "COMPLETED");
        }

        // and it stays that way: a further restart has nothing left to resume
        try (var again = RunningStack.persistent(dataDir)) {
            assertThat(again.progress).noneMatch(line -> line.contains("resumed"));
            assertThat(again.sfn.describeExecution(b -> b.executionArn(executionArn)).statusAsString()).isEqualTo("SUCCEEDED");
        }
    }

    private static List<String> types(List<software.amazon.awssdk.services.sfn.model.HistoryEvent> history) {
        return history.stream().map(e -> e.typeAsString()).toList();
    }
}
