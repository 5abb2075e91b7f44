package com.orderflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.run.AslEngine;
import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.definition.StateMachineDefinition;
import com.orderflow.local.store.EventLog;
import com.orderflow.local.store.WorkflowStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The engine in process on the durable store (every event in the one log, group commit): executions per
 * CPU-second of the whole process, then how long opening the store takes with that many finished executions in it.
 */
final class DurableStoreBenchmark {

    /** Executions run, per CPU-second and per wall-second; store size; reopen time and executions found. */
    record Figures(int executions, double perCpuSecond, double perWallSecond, long storeBytes, long reopenMillis,
                   int found) {
    }

    private DurableStoreBenchmark() {
    }

    static Figures run(Path root, int executions) throws Exception {
        var definition = StateMachineDefinition.parse(EngineBenchmark.DEFINITION);
        JsonNode input = Json.mapper().readTree("{\"id\":\"abc\",\"n\":3}");
        Path dir = root.resolve("bench/target/durable-store-bench");
        LoadTest.deleteRecursively(dir);
        Files.createDirectories(dir);
        var options = new EventLog.Options(64L << 20, 64L << 20, java.time.Duration.ofMillis(100), line -> { });
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu;
        long wall;
        try (var store = WorkflowStore.open(dir, options); var engine = new AslEngine()) {
            long revision = store.newRevision();
            store.saveMachine(new WorkflowStore.MachineRevision(revision,
                    "arn:aws:states:us-east-1:000000000000:stateMachine:bench", "bench", "STANDARD",
                    "arn:aws:iam::000000000000:role/bench", EngineBenchmark.DEFINITION, Instant.now(), null, false));
            run(store, engine, definition, revision, input, "warm-", Math.max(1, executions / 2)); // class loading, JIT
            var split0 = SfnApiBenchmark.CpuTime.of(ProcessHandle.current().pid());
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            run(store, engine, definition, revision, input, "e", executions);
            cpu = os.getProcessCpuTime() - cpu0;
            wall = System.nanoTime() - wall0;
            var split = SfnApiBenchmark.CpuTime.of(ProcessHandle.current().pid()).minus(split0);
            var stats = store.logStats();
            System.out.printf("[bench] durable store: %,d records in %,d fsyncs (%.1f per fsync); %.2f CPU-s, %.2f of them"
                            + " system%n", stats.records(), stats.fsyncs(),
                    stats.records() / (double) Math.max(1, stats.fsyncs()), cpu / 1e9, split.systemNanos() / 1e9);
        }
        long bytes;
        try (var files = Files.walk(dir)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        long open0 = System.nanoTime();
        int found;
        try (var store = WorkflowStore.open(dir, options)) {
            found = store.size();
        }
        long reopen = (System.nanoTime() - open0) / 1_000_000;
        LoadTest.deleteRecursively(dir);
        return new Figures(executions, executions / (cpu / 1e9), executions / (wall / 1e9), bytes, reopen, found);
    }

    /** Starts from 16 virtual threads at once (as concurrent StartExecution calls do), each waiting for its runs. */
    private static void run(WorkflowStore store, AslEngine engine, StateMachineDefinition definition, long revision,
                            JsonNode input, String prefix, int n) throws Exception {
        String smArn = "arn:aws:states:us-east-1:000000000000:stateMachine:bench";
        int starters = 16;
        var next = new java.util.concurrent.atomic.AtomicInteger();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var done = new ArrayList<java.util.concurrent.Future<?>>();
            for (int t = 0; t < starters; t++) {
                done.add(executor.submit(() -> {
                    List<CompletableFuture<ExecutionOutcome>> inFlight = new ArrayList<>(32);
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        String name = prefix + i;
                        String arn = "arn:aws:states:us-east-1:000000000000:execution:bench:" + name;
                        var stored = store.claim(new WorkflowStore.NewExecution(arn, name, smArn, "bench", revision,
                                Instant.now(), null)).execution();
                        var identity = new ExecutionIdentity(arn, name, smArn, "bench", null, stored.startDate());
                        inFlight.add(engine.start(definition, identity, input, (resource, in, context) -> in, stored)
                                .completion());
                        if (inFlight.size() == 32) {
                            check(inFlight);
                        }
                    }
                    check(inFlight);
                    return null;
                }));
            }
            for (var f : done) {
                f.get();
            }
        }
    }

    private static void check(List<CompletableFuture<ExecutionOutcome>> inFlight) throws Exception {
        for (var f : inFlight) {
            if (!(f.get() instanceof ExecutionOutcome.Succeeded)) {
                throw new IllegalStateException("benchmark execution did not succeed: " + f.get());
            }
        }
        inFlight.clear();
    }
}
