package com.orderflow.local.crash;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderflow.json.Json;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * A Distributed Map's run when the engine's JVM is killed with SIGKILL midway: after the restart the same Map Run
 * carries on, the children that had ended are not run again, those in flight resume, the rest start, and the parent
 * ends with every item's output in order, with one child per item.
 */
class MapRunAfterKillTest extends EngineKillTest {

    private static final String ROLE = "arn:aws:iam::000000000000:role/r";
    private static final String MACHINE = """
            {"StartAt":"Fan","States":{"Fan":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Work",
                "States":{"Work":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:sleep:live",
                  "End":true}}},"End":true}}}""";
    private static final int ITEMS = 6;

    @Test
    void sigkillDuringAMapRun_keepsTheEndedChildren_andFinishesTheRunWithOneChildPerItem() throws Exception {
        int port = startChild();
        String parentArn;
        String mapRunArn;
        Map<String, Instant> endedBeforeKill = new HashMap<>();
        var items = Json.mapper().createArrayNode();
        for (int i = 0; i < ITEMS; i++) {
            items.addObject().put("ms", 700).put("item", i);
        }
        try (var sfn = client(port)) {
            String machine = sfn.createStateMachine(b -> b.name("fan").definition(MACHINE).roleArn(ROLE)).stateMachineArn();
            parentArn = sfn.startExecution(b -> b.stateMachineArn(machine).name("parent")
                    .input("{\"items\":" + items + "}")).executionArn();
            mapRunArn = awaitMapRun(sfn, parentArn);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (endedBeforeKill.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
                endedBeforeKill.clear();
                String run = mapRunArn;
                sfn.listExecutions(b -> b.mapRunArn(run)).executions().stream()
                        .filter(e -> e.status() == ExecutionStatus.SUCCEEDED)
                        .forEach(e -> endedBeforeKill.put(e.executionArn(), e.stopDate()));
            }
            assertThat(endedBeforeKill).hasSizeGreaterThanOrEqualTo(2);
        }

        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(child.exitValue()).isEqualTo(137);
        assertThat(endedBeforeKill).as("the kill came before the run ended").hasSizeLessThan(ITEMS);
        port = startChild();

        try (var sfn = client(port)) {
            String arn = parentArn;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            var described = sfn.describeExecution(b -> b.executionArn(arn));
            while (described.status() == ExecutionStatus.RUNNING && System.nanoTime() < deadline) {
                Thread.sleep(50);
                described = sfn.describeExecution(b -> b.executionArn(arn));
            }
            assertThat(described.status()).as(described.error() + ": " + described.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
            var output = Json.mapper().readTree(described.output());
            assertThat(output).hasSize(ITEMS);
            for (int i = 0; i < ITEMS; i++) {
                assertThat(output.get(i).path("item").asInt()).isEqualTo(i);
            }
            String run = mapRunArn;
            var children = sfn.listExecutions(b -> b.mapRunArn(run)).executions();
            assertThat(children).hasSize(ITEMS).allSatisfy(c -> assertThat(c.status()).isEqualTo(ExecutionStatus.SUCCEEDED));
            // the ones that had ended are the same executions, not run again
            var stops = new HashMap<String, Instant>();
            children.forEach(c -> stops.put(c.executionArn(), c.stopDate()));
            endedBeforeKill.forEach((childArn, stop) -> assertThat(stops.get(childArn)).isEqualTo(stop));
            assertThat(children).extracting(ExecutionListItem::executionArn).doesNotHaveDuplicates();
            var mapRun = sfn.describeMapRun(b -> b.mapRunArn(run));
            assertThat(mapRun.statusAsString()).isEqualTo("SUCCEEDED");
            assertThat(mapRun.executionCounts().succeeded()).isEqualTo(ITEMS);
            assertThat(sfn.listMapRuns(b -> b.executionArn(arn)).mapRuns()).hasSize(1);
        }
    }

    private static String awaitMapRun(SfnClient sfn, String parentArn) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            var runs = sfn.listMapRuns(b -> b.executionArn(parentArn)).mapRuns();
            if (!runs.isEmpty()) {
                return runs.getFirst().mapRunArn();
            }
            Thread.sleep(20);
        }
        throw new AssertionError(parentArn + " never started its Map Run");
    }
}
