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
 * ends with every item's output in order, with one child per item. The same holds when the kill falls inside a
 * redrive of the Map Run.
 */
class MapRunAfterKillTest extends EngineKillTest {

    private static final String ROLE = "arn:aws:iam::000000000000:role/r";
    private static final String MACHINE = """
            {"StartAt":"Fan","States":{"Fan":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Work",
                "States":{"Work":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:sleep:live",
                  "End":true}}},"End":true}}}""";
    private static final int ITEMS = 6;
    /** An item with {@code gated} fails until its child is redriven, then takes its time; one at a time, in order. */
    private static final String GATED = """
            {"StartAt":"Fan","States":{"Fan":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,
              "ToleratedFailureCount":0,
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Which",
                "States":{
                  "Which":{"Type":"Choice","Choices":[{"Variable":"$.gated","IsPresent":true,"Next":"Gated"}],
                    "Default":"Open"},
                  "Open":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:sleep:live",
                    "Parameters":{"ms":50,"item.$":"$.item"},"End":true},
                  "Gated":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:afterRedrive:live",
                    "Parameters":{"ms":3000,"redrives.$":"$$.Execution.RedriveCount"},"End":true}}},
              "End":true}}}""";

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

    @Test
    void sigkillDuringARedrivenMapRun_resumesTheRedrive_withoutRunningTheChildrenThatHadSucceeded() throws Exception {
        int port = startChild();
        String parentArn;
        String mapRunArn;
        Map<String, Instant> succeeded = new HashMap<>();
        try (var sfn = client(port)) {
            String machine = sfn.createStateMachine(b -> b.name("gated").definition(GATED).roleArn(ROLE)).stateMachineArn();
            parentArn = sfn.startExecution(b -> b.stateMachineArn(machine).name("parent").input("""
                    {"items":[{"item":0},{"item":1},{"item":2,"gated":true},{"item":3}]}""")).executionArn();
            String arn = parentArn;
            assertThat(awaitEnd(sfn, arn)).isEqualTo(ExecutionStatus.FAILED);
            mapRunArn = awaitMapRun(sfn, parentArn);
            String run = mapRunArn;
            sfn.listExecutions(b -> b.mapRunArn(run)).executions().stream()
                    .filter(e -> e.status() == ExecutionStatus.SUCCEEDED)
                    .forEach(e -> succeeded.put(e.executionArn(), e.stopDate()));
            assertThat(succeeded).hasSize(2);
            sfn.redriveExecution(b -> b.executionArn(arn));
            // 0 and 1 succeeded, 2 failed, 3 never started; now 2 is redriven and inside its three-second task
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (sfn.listExecutions(b -> b.mapRunArn(run)).executions().stream()
                    .noneMatch(e -> e.status() == ExecutionStatus.RUNNING && e.redriveCount() == 1)) {
                assertThat(System.nanoTime()).as("the redrive reached the gated children").isLessThan(deadline);
                Thread.sleep(20);
            }
        }

        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(child.exitValue()).isEqualTo(137);
        port = startChild();

        try (var sfn = client(port)) {
            String arn = parentArn;
            String run = mapRunArn;
            assertThat(awaitEnd(sfn, arn)).isEqualTo(ExecutionStatus.SUCCEEDED);
            var children = sfn.listExecutions(b -> b.mapRunArn(run)).executions();
            assertThat(children).hasSize(4).allSatisfy(c -> assertThat(c.status()).isEqualTo(ExecutionStatus.SUCCEEDED));
            succeeded.forEach((childArn, stop) -> assertThat(children).filteredOn(c -> c.executionArn().equals(childArn))
                    .singleElement().satisfies(c -> {
                        assertThat(c.stopDate()).isEqualTo(stop);
                        assertThat(c.redriveCount()).isZero();
                    }));
            // the gated child was redriven once (and resumed after the kill); the last one started only now
            assertThat(children).extracting(ExecutionListItem::redriveCount).containsExactlyInAnyOrder(0, 0, 1, 0);
            var history = sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(1000)).events();
            assertThat(history).filteredOn(e -> e.typeAsString().equals("MapRunStarted")).hasSize(1);
            assertThat(history).filteredOn(e -> e.typeAsString().equals("MapRunRedriven")).hasSize(1);
            assertThat(history).filteredOn(e -> e.typeAsString().equals("ExecutionRedriven")).hasSize(1);
            for (int i = 0; i < history.size(); i++) {
                assertThat(history.get(i).id()).isEqualTo(i + 1L);
            }
            var mapRun = sfn.describeMapRun(b -> b.mapRunArn(run));
            assertThat(mapRun.statusAsString()).isEqualTo("SUCCEEDED");
            assertThat(mapRun.redriveCount()).isEqualTo(1);
        }
    }

    private static ExecutionStatus awaitEnd(SfnClient sfn, String arn) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        var status = sfn.describeExecution(b -> b.executionArn(arn)).status();
        while (status == ExecutionStatus.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(50);
            status = sfn.describeExecution(b -> b.executionArn(arn)).status();
        }
        return status;
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
