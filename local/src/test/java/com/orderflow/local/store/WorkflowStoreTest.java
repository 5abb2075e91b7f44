package com.orderflow.local.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.run.AslEngine;
import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.definition.StateMachineDefinition;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowStoreTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SM_ARN = "arn:aws:states:us-east-1:000000000000:stateMachine:sm";
    private static final String DEFINITION = """
            {"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"a":1},"Next":"B"},
              "B":{"Type":"Pass","ResultPath":"$.b","End":true}}}""";

    @TempDir
    Path dir;

    private static EventLog.Options options() {
        return new EventLog.Options(64L << 20, 64L << 20, Duration.ofMillis(50), line -> { });
    }

    private static long saveMachine(WorkflowStore store) {
        long revision = store.newRevision();
        store.saveMachine(new WorkflowStore.MachineRevision(revision, SM_ARN, "sm", "STANDARD",
                "arn:aws:iam::000000000000:role/r", DEFINITION, Instant.now(), null, false));
        return revision;
    }

    private static StoredExecution claim(WorkflowStore store, String name, long revision) {
        return store.claim(new WorkflowStore.NewExecution(
                "arn:aws:states:us-east-1:000000000000:execution:sm:" + name, name, SM_ARN, "sm", revision,
                Instant.now(), null)).execution();
    }

    private static ExecutionIdentity identity(StoredExecution e) {
        return new ExecutionIdentity(e.executionArn(), e.name(), SM_ARN, "sm", null, e.startDate());
    }

    @Test
    void theEventsBetweenTwoWaits_areOneRecord_andReadBackOneByOneInOrder() throws Exception {
        var definition = StateMachineDefinition.parse(DEFINITION);
        List<HistoryEvent> before;
        try (var store = WorkflowStore.open(dir, options()); var engine = new AslEngine()) {
            long revision = saveMachine(store);
            long recordsBefore = store.logStats().records();
            var stored = claim(store, "batched", revision);
            var run = engine.start(definition, identity(stored), MAPPER.readTree("{\"x\":1}"), (r, in, c) -> in, stored);
            assertThat(run.completion().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionOutcome.Succeeded.class);
            before = stored.history();
            // ExecutionStarted alone (StartExecution waits for it), then A and B entered and exited and the end
            assertThat(before).hasSize(6);
            assertThat(store.logStats().records() - recordsBefore).isEqualTo(2);
            assertThat(stored.closing().type()).isEqualTo("ExecutionSucceeded");
        }
        try (var store = WorkflowStore.open(dir, options())) {
            var stored = store.find("arn:aws:states:us-east-1:000000000000:execution:sm:batched").orElseThrow();
            assertThat(stored.history()).isEqualTo(before);
            assertThat(stored.history()).extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(stored.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(stored.closing()).isEqualTo(before.getLast());
        }
    }

    @Test
    void finishedExecutions_andStateMachines_readBackAfterReopen() throws Exception {
        var definition = StateMachineDefinition.parse(DEFINITION);
        List<HistoryEvent> before;
        try (var store = WorkflowStore.open(dir, options()); var engine = new AslEngine()) {
            long revision = saveMachine(store);
            var stored = claim(store, "e1", revision);
            var run = engine.start(definition, identity(stored), MAPPER.readTree("{\"x\":1}"), (r, in, c) -> in, stored);
            assertThat(run.completion().get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionOutcome.Succeeded.class);
            before = stored.history();
        }
        try (var store = WorkflowStore.open(dir, options())) {
            assertThat(store.machineRevisions()).extracting(WorkflowStore.MachineRevision::definition).containsExactly(DEFINITION);
            var stored = store.find("arn:aws:states:us-east-1:000000000000:execution:sm:e1").orElseThrow();
            assertThat(stored.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(stored.history()).isEqualTo(before);
            assertThat(stored.input()).isEqualTo("{\"x\":1}");
            assertThat(store.unfinished()).isEmpty();
        }
    }

    @Test
    void unfinishedExecution_resumesAfterReopen_andCompletesWithOneHistory() throws Exception {
        var definition = StateMachineDefinition.parse(DEFINITION);
        try (var store = WorkflowStore.open(dir, options())) {
            long revision = saveMachine(store);
            var stored = claim(store, "e2", revision);
            var started = MAPPER.createObjectNode();
            started.putObject("executionStartedEventDetails").put("input", "{\"x\":2}");
            stored.record(new HistoryEvent(1, 0, Instant.now(), "ExecutionStarted", started), null);
            var entered = MAPPER.createObjectNode();
            entered.putObject("stateEnteredEventDetails").put("name", "A").put("input", "{\"x\":2}");
            stored.record(new HistoryEvent(2, 1, Instant.now(), "PassStateEntered", entered), null);
        }
        try (var store = WorkflowStore.open(dir, options()); var engine = new AslEngine()) {
            var unfinished = store.unfinished();
            assertThat(unfinished).hasSize(1);
            var stored = unfinished.getFirst();
            var run = engine.resume(definition, identity(stored), stored.history(), (r, in, c) -> in, stored);
            var outcome = run.completion().get(10, TimeUnit.SECONDS);
            assertThat(((ExecutionOutcome.Succeeded) outcome).output().toString()).isEqualTo("{\"a\":1,\"b\":{\"a\":1}}");
            assertThat(stored.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(stored.history()).extracting(HistoryEvent::type).containsExactly("ExecutionStarted",
                    "PassStateEntered", "PassStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded");
        }
    }

    @Test
    void tornLastRecord_isCutOff_andEverythingBeforeItStays() throws Exception {
        try (var store = WorkflowStore.open(dir, options())) {
            long revision = saveMachine(store);
            var stored = claim(store, "e3", revision);
            var started = MAPPER.createObjectNode();
            started.putObject("executionStartedEventDetails").put("input", "{}");
            stored.record(new HistoryEvent(1, 0, Instant.now(), "ExecutionStarted", started), null);
        }
        Path segment;
        try (var files = Files.list(dir.resolve("executions"))) {
            segment = files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
        }
        long intact = Files.size(segment);
        try (var file = new RandomAccessFile(segment.toFile(), "rw")) {
            // half a frame, as a kill in the middle of a write leaves it
            file.seek(intact);
            file.write(new byte[] {0, 0, 0, 100, 1, 2, 3});
        }
        try (var store = WorkflowStore.open(dir, options())) {
            assertThat(Files.size(segment)).isEqualTo(intact);
            var stored = store.find("arn:aws:states:us-east-1:000000000000:execution:sm:e3").orElseThrow();
            assertThat(stored.history()).extracting(HistoryEvent::type).containsExactly("ExecutionStarted");
        }
    }

    @Test
    void retention_dropsWholeOldSegments_andKeepsEveryExecutionStillNeeded() throws Exception {
        var small = new EventLog.Options(4096, 64L << 20, Duration.ofMillis(50), line -> { });
        String keptArn;
        try (var store = WorkflowStore.open(dir, small)) {
            long revision = saveMachine(store);
            for (int i = 0; i < 60; i++) {
                var stored = claim(store, "old" + i, revision);
                record(stored, Instant.parse("2020-01-01T00:00:00Z"), true);
            }
            var running = claim(store, "running", revision);
            record(running, Instant.now(), false);
            keptArn = running.executionArn();
            int before = store.size();
            int dropped = store.dropFinishedBefore(Instant.parse("2021-01-01T00:00:00Z"));
            assertThat(dropped).isPositive();
            assertThat(store.size()).isEqualTo(before - dropped);
        }
        int afterDrop;
        try (var store = WorkflowStore.open(dir, small)) {
            assertThat(store.find(keptArn)).isPresent();
            assertThat(store.machineRevisions()).hasSize(1);
            assertThat(store.size()).isLessThan(61);
            afterDrop = store.size();
            // and what was dropped stays dropped; what was kept is all still there
            assertThat(store.unfinished()).extracting(StoredExecution::executionArn).containsExactly(keptArn);
        }
        try (var store = WorkflowStore.open(dir, small)) {
            assertThat(store.size()).isEqualTo(afterDrop);
        }
    }

    @Test
    void retention_whenEveryExecutionIsOld_dropsOnlyWhatSealedSegmentsHeld_andNothingReappears() throws Exception {
        var small = new EventLog.Options(4096, 64L << 20, Duration.ofMillis(50), line -> { });
        int kept;
        try (var store = WorkflowStore.open(dir, small)) {
            long revision = saveMachine(store);
            for (int i = 0; i < 40; i++) {
                record(claim(store, "all-old" + i, revision), Instant.parse("2020-01-01T00:00:00Z"), true);
            }
            int dropped = store.dropFinishedBefore(Instant.parse("2021-01-01T00:00:00Z"));
            assertThat(dropped).isPositive();
            kept = store.size();
        }
        try (var store = WorkflowStore.open(dir, small)) {
            assertThat(store.size()).isEqualTo(kept);
        }
    }

    @Test
    void anEventHandedOverTwice_isKeptOnce_andAGapInAHistory_isSaidAloud_notSkipped() throws Exception {
        var logged = new java.util.concurrent.CopyOnWriteArrayList<String>();
        var options = new EventLog.Options(64L << 20, 64L << 20, Duration.ofMillis(50), logged::add);
        try (var store = WorkflowStore.open(dir, options)) {
            var stored = claim(store, "gap", saveMachine(store));
            Instant at = Instant.now();
            record(stored, at, false);
            var second = new HistoryEvent(2, 1, at, "PassStateEntered", MAPPER.createObjectNode());
            var latch = new java.util.concurrent.CountDownLatch(2);
            stored.record(second, latch::countDown);
            stored.record(second, latch::countDown); // a run the engine hands over again after a refusal
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stored.history()).extracting(HistoryEvent::id).containsExactly(1L, 2L);

            stored.record(new HistoryEvent(4, 2, at, "PassStateExited", MAPPER.createObjectNode()), null);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (logged.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(logged).anySatisfy(line -> assertThat(line)
                    .contains("event 4 reached the store before event 3").contains(stored.executionArn()));
            assertThat(stored.history()).extracting(HistoryEvent::id).containsExactly(1L, 2L);
            assertThat(stored.status()).isEqualTo(ExecutionStatus.RUNNING);
        }
    }

    private static void record(StoredExecution stored, Instant at, boolean finish) {
        ObjectNode started = MAPPER.createObjectNode();
        started.putObject("executionStartedEventDetails").put("input", "{\"padding\":\"" + "x".repeat(200) + "\"}");
        stored.record(new HistoryEvent(1, 0, at, "ExecutionStarted", started), null);
        if (finish) {
            ObjectNode done = MAPPER.createObjectNode();
            done.putObject("executionSucceededEventDetails").put("output", "{}");
            var latch = new java.util.concurrent.CountDownLatch(1);
            stored.record(new HistoryEvent(2, 1, at, "ExecutionSucceeded", done), latch::countDown);
            try {
                latch.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
