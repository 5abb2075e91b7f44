package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.journal.ExecutionJournal;
import com.orderflow.local.sfn.ExecutionRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterruptedExecutionRecoveryTest {

    private static final String SM = "arn:aws:states:us-east-1:000000000000:stateMachine:orders";
    private static final InterruptedExecutionRecovery.Functions FUNCTIONS =
            new InterruptedExecutionRecovery.Functions("release", "void", "persist");

    @TempDir
    Path dir;

    private record Call(String resource, JsonNode input) {
    }

    private ExecutionJournal journalWithRunning(String name, String input) throws Exception {
        try (var journal = ExecutionJournal.open(dir)) {
            journal.putIfAbsent(new ExecutionRecord("arn:aws:states:us-east-1:000000000000:execution:orders:" + name,
                    name, SM, "orders", input, Instant.parse("2026-01-01T00:00:00Z")));
        }
        return ExecutionJournal.open(dir);
    }

    @Test
    void interruptedOrder_isCompensatedThenPersistedFailed_inTheWorkflowsOrder() throws Exception {
        var calls = new ArrayList<Call>();
        try (var journal = journalWithRunning("ord_1", "{\"order\":{\"orderId\":\"ord_1\",\"total\":1}}")) {
            var recovered = new InterruptedExecutionRecovery(journal, (resource, input, context) -> {
                calls.add(new Call(resource, input));
                return input;
            }, FUNCTIONS, Clock.systemUTC(), line -> { }).recoverAll();

            assertThat(calls).extracting(Call::resource).containsExactly("release", "void", "persist");
            assertThat(calls.get(0).input().path("orderId").asText()).isEqualTo("ord_1");
            JsonNode persist = calls.get(2).input();
            assertThat(persist.path("order").path("orderId").asText()).isEqualTo("ord_1");
            assertThat(persist.path("outcome").path("status").asText()).isEqualTo("FAILED");
            assertThat(persist.path("outcome").path("failure").path("error").asText()).isEqualTo("States.Runtime");
            assertThat(persist.path("executionArn").asText()).endsWith(":ord_1");
            assertThat(recovered).singleElement().satisfies(r -> assertThat(r.orderStoredFailed()).isTrue());
            assertThat(journal.list(SM).getFirst().status()).isEqualTo(ExecutionStatus.FAILED);
        }
    }

    @Test
    void persistFailing_stillEndsTheExecution_andSaysSoInTheCause() throws Exception {
        var log = new ArrayList<String>();
        try (var journal = journalWithRunning("ord_2", "{\"order\":{\"orderId\":\"ord_2\"}}")) {
            new InterruptedExecutionRecovery(journal, (resource, input, context) -> {
                if (resource.equals("persist")) {
                    throw new TaskFailedException("S3.Unavailable", "no bucket");
                }
                return input;
            }, FUNCTIONS, Clock.systemUTC(), log::add).recoverAll();

            var record = journal.list(SM).getFirst();
            assertThat(record.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(record.error()).isEqualTo("States.Runtime");
            assertThat(record.cause()).contains("S3.Unavailable: no bucket");
            assertThat(log).anyMatch(line -> line.contains("NOT stored FAILED"));
        }
    }

    @Test
    void executionWithoutAnOrder_isEndedFailed_withoutCallingAnyFunction() throws Exception {
        List<String> called = new ArrayList<>();
        try (var journal = journalWithRunning("not-an-order", "{\"hello\":\"world\"}")) {
            var recovered = new InterruptedExecutionRecovery(journal, (resource, input, context) -> {
                called.add(resource);
                return input;
            }, FUNCTIONS, Clock.systemUTC(), line -> { }).recoverAll();

            assertThat(called).isEmpty();
            assertThat(recovered).singleElement().satisfies(r -> assertThat(r.orderId()).isNull());
            assertThat(journal.list(SM).getFirst().cause()).isEqualTo(InterruptedExecutionRecovery.CAUSE);
        }
    }
}
