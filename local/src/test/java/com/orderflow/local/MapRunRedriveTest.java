package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.DescribeMapRunResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionNotRedrivableException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.MapRunStatus;

/**
 * Redriving a Map Run, as AWS does it, through the SDK against the running stack: RedriveExecution of a parent whose
 * Distributed Map failed redrives the same Map Run, where the children that succeeded stand, the one that failed is
 * redriven (same ARN, redriveCount 1) and the one never started starts.
 */
class MapRunRedriveTest {

    private static final String ROLE = "arn:aws:iam::123456789012:role/StepFunctionsLocal";
    private static final String GATES = "map-gates";

    /** Each child reads its gate object from the local S3: a missing gate fails it with S3.NoSuchKeyException. */
    private static final String DEFINITION = """
            {"StartAt":"Fan","States":{"Fan":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,
              "ToleratedFailureCount":0,
              "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Gate",
                "States":{
                  "Gate":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:s3:getObject",
                    "Parameters":{"Bucket":"%s","Key.$":"States.Format('gate-{}', $.n)"},
                    "ResultSelector":{"passed.$":"$.Body"},"End":true}}},
              "End":true}}}""".formatted(GATES);

    @TempDir
    static Path scratch;
    static RunningStack stack;

    @BeforeAll
    static void start() {
        stack = RunningStack.inMemory(scratch);
        stack.s3.createBucket(b -> b.bucket(GATES));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void redrivingTheParent_redrivesTheSameMapRun_rerunningOnlyWhatDidNotSucceed() throws Exception {
        String sm = stack.sfn.createStateMachine(b -> b.name("gated-fan").definition(DEFINITION).roleArn(ROLE))
                .stateMachineArn();
        open(1);
        open(2);
        String parent = stack.sfn.startExecution(b -> b.stateMachineArn(sm)
                .input("{\"items\":[{\"n\":1},{\"n\":2},{\"n\":3},{\"n\":4}]}")).executionArn();

        var failed = awaitEnd(parent);
        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
        String mapRunArn = onlyMapRun(parent);
        var before = byName(children(mapRunArn));
        // one at a time: 1 and 2 pass, 3 fails and nothing more is started
        assertThat(before.values()).extracting(ExecutionListItem::status).containsExactlyInAnyOrder(
                ExecutionStatus.SUCCEEDED, ExecutionStatus.SUCCEEDED, ExecutionStatus.FAILED);
        var firstRun = describeMapRun(mapRunArn);
        assertThat(firstRun.status()).isEqualTo(MapRunStatus.FAILED);
        assertThat(firstRun.redriveCount()).isZero();
        assertThat(firstRun.executionCounts().failed()).isEqualTo(1);
        assertThat(firstRun.executionCounts().pending()).isEqualTo(1);
        assertThat(firstRun.executionCounts().failuresNotRedrivable()).isZero();
        String failedChild = before.values().stream().filter(c -> c.status() == ExecutionStatus.FAILED)
                .findFirst().orElseThrow().executionArn();
        assertThat(stack.sfn.describeExecution(b -> b.executionArn(failedChild)).redriveStatusAsString())
                .isEqualTo("REDRIVABLE");
        assertThatThrownBy(() -> stack.sfn.redriveExecution(b -> b.executionArn(failedChild)))
                .isInstanceOf(ExecutionNotRedrivableException.class).hasMessageContaining("redriven with its Map Run");

        open(3);
        open(4);
        stack.sfn.redriveExecution(b -> b.executionArn(parent));
        var redriven = awaitEnd(parent);

        assertThat(redriven.status()).as(redriven.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(redriven.redriveCount()).isEqualTo(1);
        assertThat(json(redriven.output())).isEqualTo(json("""
                [{"passed":"gate 1"},{"passed":"gate 2"},{"passed":"gate 3"},{"passed":"gate 4"}]"""));
        assertThat(onlyMapRun(parent)).isEqualTo(mapRunArn);
        var after = byName(children(mapRunArn));
        assertThat(after).hasSize(4);
        assertThat(after.values()).allSatisfy(c -> assertThat(c.status()).isEqualTo(ExecutionStatus.SUCCEEDED));
        for (var child : before.values()) {
            var now = after.get(child.name());
            if (child.status() == ExecutionStatus.SUCCEEDED) {
                // a child that succeeded stands: not run again
                assertThat(now.redriveCount()).isZero();
                assertThat(now.stopDate()).isEqualTo(child.stopDate());
            } else {
                assertThat(now.executionArn()).isEqualTo(child.executionArn());
                assertThat(now.redriveCount()).isEqualTo(1);
                assertThat(types(now.executionArn())).containsSubsequence(HistoryEventType.EXECUTION_FAILED,
                        HistoryEventType.EXECUTION_REDRIVEN, HistoryEventType.TASK_STATE_ENTERED,
                        HistoryEventType.EXECUTION_SUCCEEDED);
            }
        }
        var neverStarted = after.keySet().stream().filter(name -> !before.containsKey(name)).toList();
        assertThat(neverStarted).hasSize(1);
        assertThat(after.get(neverStarted.getFirst()).redriveCount()).isZero();

        var secondRun = describeMapRun(mapRunArn);
        assertThat(secondRun.status()).isEqualTo(MapRunStatus.SUCCEEDED);
        assertThat(secondRun.redriveCount()).isEqualTo(1);
        assertThat(secondRun.redriveDate()).isNotNull();
        assertThat(secondRun.executionCounts().succeeded()).isEqualTo(4);
        assertThat(secondRun.executionCounts().failed()).isZero();
        assertThat(secondRun.executionCounts().pendingRedrive()).isZero();

        var history = history(parent);
        assertThat(history).extracting(HistoryEvent::type).containsSubsequence(HistoryEventType.MAP_RUN_STARTED,
                HistoryEventType.MAP_RUN_FAILED, HistoryEventType.EXECUTION_FAILED, HistoryEventType.EXECUTION_REDRIVEN,
                HistoryEventType.MAP_RUN_REDRIVEN, HistoryEventType.MAP_RUN_SUCCEEDED,
                HistoryEventType.MAP_STATE_SUCCEEDED, HistoryEventType.EXECUTION_SUCCEEDED);
        var mapRunRedriven = history.stream().filter(e -> e.type() == HistoryEventType.MAP_RUN_REDRIVEN).toList();
        assertThat(mapRunRedriven).hasSize(1);
        assertThat(mapRunRedriven.getFirst().mapRunRedrivenEventDetails().mapRunArn()).isEqualTo(mapRunArn);
        assertThat(mapRunRedriven.getFirst().mapRunRedrivenEventDetails().redriveCount()).isEqualTo(1);
        // the Map state was entered and started once: the redrive went on inside the same state and Map Run
        assertThat(history).filteredOn(e -> e.type() == HistoryEventType.MAP_STATE_STARTED).hasSize(1);
        assertThat(history).filteredOn(e -> e.type() == HistoryEventType.MAP_RUN_STARTED).hasSize(1);
    }

    private static void open(int gate) {
        stack.s3.putObject(b -> b.bucket(GATES).key("gate-" + gate), RequestBody.fromString("gate " + gate));
    }

    private static String onlyMapRun(String executionArn) {
        var runs = stack.sfn.listMapRuns(b -> b.executionArn(executionArn)).mapRuns();
        assertThat(runs).hasSize(1);
        return runs.getFirst().mapRunArn();
    }

    private static DescribeMapRunResponse describeMapRun(String mapRunArn) {
        return stack.sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
    }

    private static Map<String, ExecutionListItem> byName(List<ExecutionListItem> children) {
        return children.stream().sorted(Comparator.comparing(ExecutionListItem::name))
                .collect(Collectors.toMap(ExecutionListItem::name, c -> c));
    }

    private static List<ExecutionListItem> children(String mapRunArn) {
        return stack.sfn.listExecutions(b -> b.mapRunArn(mapRunArn)).executions();
    }

    private static List<HistoryEvent> history(String executionArn) {
        return stack.sfn.getExecutionHistory(b -> b.executionArn(executionArn).maxResults(1000)).events();
    }

    private static List<HistoryEventType> types(String executionArn) {
        return history(executionArn).stream().map(HistoryEvent::type).toList();
    }

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    private static DescribeExecutionResponse awaitEnd(String executionArn) throws InterruptedException {
        return stack.awaitEnd(executionArn, Duration.ofSeconds(60));
    }

}
