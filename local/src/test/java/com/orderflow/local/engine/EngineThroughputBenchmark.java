package com.orderflow.local.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Not a test: runs a 7-state workflow (Pass, Parallel of two Pass branches, Pass, Pass, Succeed)
 * many times in one JVM and prints executions per CPU-second of the whole process.
 * Run: {@code java -cp <test-classpath> com.orderflow.local.engine.EngineThroughputBenchmark [executions]}.
 */
public final class EngineThroughputBenchmark {

    static final String DEFINITION = """
            {"StartAt":"Prepare","States":{
              "Prepare":{"Type":"Pass","Parameters":{"id.$":"$.id","n.$":"$.n"},"Next":"Fork"},
              "Fork":{"Type":"Parallel","ResultPath":"$.branches","Next":"Merge","Branches":[
                {"StartAt":"Left","States":{"Left":{"Type":"Pass","Result":{"side":"left"},"End":true}}},
                {"StartAt":"Right","States":{"Right":{"Type":"Pass","Result":{"side":"right"},"End":true}}}]},
              "Merge":{"Type":"Pass","Parameters":{"id.$":"$.id","left.$":"$.branches[0].side"},"Next":"Tag"},
              "Tag":{"Type":"Pass","Result":"done","ResultPath":"$.status","Next":"Done"},
              "Done":{"Type":"Succeed"}}}""";

    private EngineThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int executions = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        var definition = StateMachineDefinition.parse(DEFINITION);
        JsonNode input = new ObjectMapper().readTree("{\"id\":\"abc\",\"n\":3}");
        try (var engine = new AslEngine()) {
            run(engine, definition, input, Math.min(executions, 20_000)); // warm-up
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            run(engine, definition, input, executions);
            long cpu = os.getProcessCpuTime() - cpu0;
            long wall = System.nanoTime() - wall0;
            System.out.printf("engine throughput: %d executions, %.0f exec/CPU-s, %.0f exec/wall-s (%d cores)%n",
                    executions, executions / (cpu / 1e9), executions / (wall / 1e9),
                    Runtime.getRuntime().availableProcessors());
        }
    }

    private static void run(AslEngine engine, StateMachineDefinition definition, JsonNode input, int n)
            throws Exception {
        int window = 512;
        List<CompletableFuture<ExecutionOutcome>> inFlight = new ArrayList<>(window);
        for (int i = 0; i < n; i++) {
            var identity = new ExecutionIdentity("arn:aws:states:us-east-1:000000000000:execution:bench:e" + i,
                    "e" + i, "arn:aws:states:us-east-1:000000000000:stateMachine:bench", "bench", null, Instant.now());
            inFlight.add(engine.start(definition, identity, input, (r, in, c) -> in, e -> { }).completion());
            if (inFlight.size() == window) {
                for (var f : inFlight) {
                    if (!(f.get() instanceof ExecutionOutcome.Succeeded)) {
                        throw new IllegalStateException("benchmark execution did not succeed: " + f.get());
                    }
                }
                inFlight.clear();
            }
        }
        for (var f : inFlight) {
            f.get();
        }
    }
}
