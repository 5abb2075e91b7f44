package com.orderflow.local.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.sfn.ExecutionRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutionJournalTest {

    private static final String SM = "arn:aws:states:us-east-1:000000000000:stateMachine:orders";

    @TempDir
    Path dir;

    private static ExecutionRecord record(String name, Instant start) {
        return new ExecutionRecord("arn:aws:states:us-east-1:000000000000:execution:orders:" + name, name, SM,
                "orders", "{\"order\":{\"orderId\":\"" + name + "\"}}", start);
    }

    private static HistoryEvent event(long id, String type, Instant at) {
        ObjectNode details = Json.mapper().createObjectNode();
        details.putObject("stateEnteredEventDetails").put("name", "State" + id).put("input", "{}");
        return new HistoryEvent(id, id - 1, at, type, details);
    }

    private static void record(ExecutionJournal journal, ExecutionRecord execution, HistoryEvent event) {
        execution.append(event);
        journal.appended(execution, event);
    }

    @Test
    void finishedExecution_isReadBackWithHistoryStatusAndOutput() throws Exception {
        Instant t0 = Instant.parse("2026-01-01T10:00:00.123456Z");
        try (var journal = ExecutionJournal.open(dir)) {
            var execution = record("ord_a", t0);
            assertThat(journal.putIfAbsent(execution)).isNull();
            record(journal, execution, event(1, "ExecutionStarted", t0));
            record(journal, execution, event(2, "TaskStateEntered", t0.plusMillis(1)));
            record(journal, execution, event(3, "ExecutionSucceeded", t0.plusMillis(2)));
            execution.finish(new ExecutionOutcome.Succeeded(Json.mapper().readTree("{\"ok\":true}")), t0.plusMillis(2));
            journal.ended(execution);
        }

        try (var reopened = ExecutionJournal.open(dir)) {
            var back = reopened.find("arn:aws:states:us-east-1:000000000000:execution:orders:ord_a").orElseThrow();
            assertThat(back.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(back.output()).isEqualTo("{\"ok\":true}");
            assertThat(back.input()).isEqualTo("{\"order\":{\"orderId\":\"ord_a\"}}");
            assertThat(back.startDate()).isEqualTo(t0);
            assertThat(back.stopDate()).isEqualTo(t0.plusMillis(2));
            assertThat(back.history()).extracting(HistoryEvent::type)
                    .containsExactly("ExecutionStarted", "TaskStateEntered", "ExecutionSucceeded");
            assertThat(back.history().get(1).details().path("stateEnteredEventDetails").path("name").asText())
                    .isEqualTo("State2");
            assertThat(reopened.interrupted()).isEmpty();
            assertThat(reopened.list(SM)).hasSize(1);
        }
    }

    @Test
    void executionWithoutEnd_isInterrupted_andFailingItIsDurable() throws Exception {
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        try (var journal = ExecutionJournal.open(dir)) {
            var execution = record("ord_b", t0);
            journal.putIfAbsent(execution);
            record(journal, execution, event(1, "ExecutionStarted", t0));
            record(journal, execution, event(2, "TaskStateEntered", t0));
        }

        try (var reopened = ExecutionJournal.open(dir)) {
            assertThat(reopened.interrupted()).singleElement()
                    .satisfies(r -> assertThat(r.status()).isEqualTo(ExecutionStatus.RUNNING));
            reopened.fail(reopened.interrupted().getFirst(), "States.Runtime", "restarted", t0.plusSeconds(5));
        }

        try (var again = ExecutionJournal.open(dir)) {
            var back = again.list(SM).getFirst();
            assertThat(again.interrupted()).isEmpty();
            assertThat(back.status()).isEqualTo(ExecutionStatus.FAILED);
            assertThat(back.error()).isEqualTo("States.Runtime");
            assertThat(back.cause()).isEqualTo("restarted");
            assertThat(back.history()).extracting(HistoryEvent::type)
                    .containsExactly("ExecutionStarted", "TaskStateEntered", "ExecutionFailed");
            assertThat(back.history().getLast().previousEventId()).isEqualTo(2);
        }
    }

    @Test
    void tornLastLine_afterACrash_keepsEverythingBeforeIt() throws Exception {
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        var execution = record("ord_c", t0);
        try (var journal = ExecutionJournal.open(dir)) {
            journal.putIfAbsent(execution);
            record(journal, execution, event(1, "ExecutionStarted", t0));
        }
        Path file = dir.resolve(ExecutionJournal.fileName(execution));
        Files.writeString(file, "{\"kind\":\"event\",\"id\":2,\"ty", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (var reopened = ExecutionJournal.open(dir)) {
            assertThat(reopened.interrupted()).singleElement()
                    .satisfies(r -> assertThat(r.history()).extracting(HistoryEvent::id).containsExactly(1L));
        }
    }

    @Test
    void eventsWrittenOutOfOrder_areReadBackInIdOrder() throws Exception {
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        try (var journal = ExecutionJournal.open(dir)) {
            var execution = record("ord_d", t0);
            journal.putIfAbsent(execution);
            journal.appended(execution, event(2, "TaskStateEntered", t0));
            journal.appended(execution, event(1, "ExecutionStarted", t0));
        }

        try (var reopened = ExecutionJournal.open(dir)) {
            assertThat(reopened.list(SM).getFirst().history()).extracting(HistoryEvent::id).containsExactly(1L, 2L);
        }
    }

    @Test
    void secondStartOfTheSameExecution_returnsTheFirst_andWritesNothing() throws Exception {
        Instant t0 = Instant.parse("2026-01-01T10:00:00Z");
        try (var journal = ExecutionJournal.open(dir)) {
            var first = record("ord_e", t0);
            journal.putIfAbsent(first);
            assertThat(journal.putIfAbsent(record("ord_e", t0.plusSeconds(1)))).isSameAs(first);
        }
        try (var files = Files.list(dir)) {
            Path only = files.toList().getFirst();
            assertThat(Files.readAllLines(only)).hasSize(1);
        }
    }
}
