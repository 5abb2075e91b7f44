package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.journal.ExecutionJournal;
import com.orderflow.local.s3.LocalS3Server;
import com.orderflow.local.s3.OrdersBucket;
import com.orderflow.local.sfn.ExecutionRecord;
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
            assertThat(second.progress).anyMatch(line -> line.contains(statusById.size() + " executions restored"));
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
    void executionLeftRunningByACrash_endsFailed_andItsOrderIsStoredFailed() throws Exception {
        // given a process that stored the RECEIVED version and died while the workflow ran
        String orderId = "ord_0crash0000000000000000000a";
        String executionArn = "arn:aws:states:us-east-1:000000000000:execution:" + LocalStack.STATE_MACHINE_NAME + ":" + orderId;
        ObjectNode order = (ObjectNode) Json.mapper().readTree(RunningStack.payload("order-completed.json"));
        order.put("orderId", orderId);
        var config = RunningStack.config(dataDir, false);
        try (var s3 = LocalS3Server.start(0, Optional.of(config.s3DataDir())); var client = s3.newClient()) {
            OrdersBucket.ensure(client, config.bucket());
            new PersistOrderHandler(client, config.bucket(), Clock.systemUTC()).handleRequest(new PersistOrderInput(
                    Json.mapper().treeToValue(order, Order.class), OrderOutcome.received(), executionArn), null);
        }
        try (var journal = ExecutionJournal.open(config.journalDir())) {
            var input = Json.mapper().createObjectNode().<ObjectNode>set("order", order).put("requestHash", "0".repeat(64));
            var record = new ExecutionRecord(executionArn, orderId,
                    "arn:aws:states:us-east-1:000000000000:stateMachine:" + LocalStack.STATE_MACHINE_NAME,
                    LocalStack.STATE_MACHINE_NAME, input.toString(), Instant.now());
            journal.putIfAbsent(record);
            Instant now = Instant.now();
            var started = Json.mapper().createObjectNode();
            started.putObject("executionStartedEventDetails").put("input", input.toString());
            journal.appended(record, new HistoryEvent(1, 0, now, "ExecutionStarted", started));
            var entered = Json.mapper().createObjectNode();
            entered.putObject("stateEnteredEventDetails").put("name", "ValidateOrder").put("input", input.toString());
            journal.appended(record, new HistoryEvent(2, 1, now, "TaskStateEntered", entered));
            // no end: the process stopped here
        }

        // when the stack starts on that directory
        try (var running = RunningStack.persistent(dataDir)) {
            // then the execution ended visibly FAILED, its history kept and completed
            assertThat(running.progress).anyMatch(line -> line.contains("1 interrupted by the last stop -> FAILED"));
            var execution = running.sfn.describeExecution(b -> b.executionArn(executionArn));
            assertThat(execution.statusAsString()).isEqualTo("FAILED");
            assertThat(execution.error()).isEqualTo("States.Runtime");
            assertThat(execution.cause()).startsWith("local stack restarted while the execution was running");
            assertThat(types(running.history(orderId))).containsExactly(
                    "ExecutionStarted", "TaskStateEntered", "ExecutionFailed");
            assertThat(running.history(orderId).getLast().type()).isEqualTo(HistoryEventType.EXECUTION_FAILED);

            // and the order was stored FAILED as a new version after RECEIVED
            var stored = running.getJson("/orders/" + orderId);
            assertThat(stored.path("status").asText()).isEqualTo("FAILED");
            assertThat(stored.path("reason").asText()).contains("States.Runtime");
            assertThat(LocalStackEndToEndTest.statuses(running.getJson("/orders/" + orderId + "/history").path("versions")))
                    .containsExactly("RECEIVED", "FAILED");
        }

        // and it stays that way: a further restart has nothing left to recover
        try (var again = RunningStack.persistent(dataDir)) {
            assertThat(again.progress).noneMatch(line -> line.contains("interrupted"));
            assertThat(again.sfn.describeExecution(b -> b.executionArn(executionArn)).statusAsString()).isEqualTo("FAILED");
        }
    }

    private static List<String> types(List<software.amazon.awssdk.services.sfn.model.HistoryEvent> history) {
        return history.stream().map(e -> e.typeAsString()).toList();
    }
}
