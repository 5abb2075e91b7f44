package com.orderflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.run.AslEngine;
import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.definition.StateMachineDefinition;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Throughput of the ASL engine alone, through its public API: a 7-state workflow (Pass, a Parallel of two Pass
 * branches, Pass, Pass, Succeed) run many times with up to 512 executions in flight, measured per CPU-second of
 * the whole process and per wall-second after a warm-up of as many executions.
 */
final class EngineBenchmark {

    /** Also the workflow of {@link SfnApiBenchmark} and its npm peer, so the three figures compare. */
    static final String DEFINITION = """
            {"StartAt":"Prepare","States":{
              "Prepare":{"Type":"Pass","Parameters":{"id.$":"$.id","n.$":"$.n"},"Next":"Fork"},
              "Fork":{"Type":"Parallel","ResultPath":"$.branches","Next":"Merge","Branches":[
                {"StartAt":"Left","States":{"Left":{"Type":"Pass","Result":{"side":"left"},"End":true}}},
                {"StartAt":"Right","States":{"Right":{"Type":"Pass","Result":{"side":"right"},"End":true}}}]},
              "Merge":{"Type":"Pass","Parameters":{"id.$":"$.id","left.$":"$.branches[0].side"},"Next":"Tag"},
              "Tag":{"Type":"Pass","Result":"done","ResultPath":"$.status","Next":"Done"},
              "Done":{"Type":"Succeed"}}}""";

    /** The same workflow written in JSONata: each state's data flow an expression over {@code $states}. */
    static final String JSONATA_DEFINITION = """
            {"QueryLanguage":"JSONata","StartAt":"Prepare","States":{
              "Prepare":{"Type":"Pass","Output":{"id":"{% $states.input.id %}","n":"{% $states.input.n %}"},"Next":"Fork"},
              "Fork":{"Type":"Parallel","Output":"{% $merge([$states.input, {'branches': $states.result}]) %}","Next":"Merge",
                "Branches":[
                  {"StartAt":"Left","States":{"Left":{"Type":"Pass","Output":{"side":"left"},"End":true}}},
                  {"StartAt":"Right","States":{"Right":{"Type":"Pass","Output":{"side":"right"},"End":true}}}]},
              "Merge":{"Type":"Pass","Output":{"id":"{% $states.input.id %}","left":"{% $states.input.branches[0].side %}"},
                "Next":"Tag"},
              "Tag":{"Type":"Pass","Output":"{% $merge([$states.input, {'status': 'done'}]) %}","Next":"Done"},
              "Done":{"Type":"Succeed"}}}""";

    /** Executions measured, executions per CPU-second and per wall-second. */
    record Figures(int executions, double perCpuSecond, double perWallSecond) {
    }

    private EngineBenchmark() {
    }

    static Figures run(int executions) throws Exception {
        return run(executions, DEFINITION);
    }

    /** The figures for {@code definitionText}, which must take the input {@code {"id":"abc","n":3}}. */
    static Figures run(int executions, String definitionText) throws Exception {
        var definition = StateMachineDefinition.parse(definitionText);
        JsonNode input = Json.mapper().readTree("{\"id\":\"abc\",\"n\":3}");
        try (var engine = new AslEngine()) {
            // warm-up as long as the run: class loading and the JIT's second tier, which a shorter one leaves half done
            run(engine, definition, input, executions);
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            run(engine, definition, input, executions);
            long cpu = os.getProcessCpuTime() - cpu0;
            long wall = System.nanoTime() - wall0;
            return new Figures(executions, executions / (cpu / 1e9), executions / (wall / 1e9));
        }
    }

    private static void run(AslEngine engine, StateMachineDefinition definition, JsonNode input, int n) throws Exception {
        int window = 512;
        List<CompletableFuture<ExecutionOutcome>> inFlight = new ArrayList<>(window);
        for (int i = 0; i < n; i++) {
            var identity = new ExecutionIdentity("arn:aws:states:us-east-1:000000000000:execution:bench:e" + i,
                    "e" + i, "arn:aws:states:us-east-1:000000000000:stateMachine:bench", "bench", null, Instant.now());
            inFlight.add(engine.start(definition, identity, input, (resource, in, context) -> in, event -> { }).completion());
            if (inFlight.size() == window || i == n - 1) {
                for (var f : inFlight) {
                    if (!(f.get() instanceof ExecutionOutcome.Succeeded)) {
                        throw new IllegalStateException("benchmark execution did not succeed: " + f.get());
                    }
                }
                inFlight.clear();
            }
        }
    }
}
