package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.MapRunStatus;

/**
 * Distributed Maps through the SDK against the running local stack: child executions per item (or batch) listed by
 * their Map Run, MaxConcurrency, the tolerated failure threshold, ListMapRuns / DescribeMapRun, items read from the
 * local S3 (JSON, CSV, a listing) and results written to it.
 */
class DistributedMapTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/StepFunctionsLocal";
    static final String BUCKET = "map-items";

    /** A child fails when its item says so, and otherwise answers its number doubled after {@code wait} seconds. */
    static final String PROCESSOR = """
            {"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"%s"},"StartAt":"Check","States":{
              "Check":{"Type":"Choice","Choices":[{"Variable":"$.fail","IsPresent":true,"Next":"Refuse"}],"Default":"Nap"},
              "Nap":{"Type":"Wait","Seconds":%s,"Next":"Double"},
              "Double":{"Type":"Pass","Parameters":{"doubled.$":"States.MathAdd($.n, $.n)"},"End":true},
              "Refuse":{"Type":"Fail","Error":"Item.Refused","Cause":"told to"}}}""";

    @TempDir
    static Path scratch;
    static RunningStack stack;

    @BeforeAll
    static void start() {
        stack = RunningStack.inMemory(scratch);
        stack.s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    static String machine(String name, String mapFields, String executionType, int waitSeconds) {
        String definition = """
                {"StartAt":"Fan","States":{"Fan":{"Type":"Map",%s,"ItemProcessor":%s,"End":true}}}"""
                .formatted(mapFields, PROCESSOR.formatted(executionType, waitSeconds));
        return stack.sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE)).stateMachineArn();
    }

    static DescribeExecutionResponse run(String machineArn, String input) throws InterruptedException {
        return awaitEnd(stack.sfn.startExecution(b -> b.stateMachineArn(machineArn).input(input)).executionArn());
    }

    static String items(int count, int... failing) {
        var array = Json.mapper().createArrayNode();
        for (int i = 1; i <= count; i++) {
            var item = array.addObject().put("n", i);
            for (int f : failing) {
                if (f == i) {
                    item.put("fail", true);
                }
            }
        }
        return "{\"items\":" + array + "}";
    }

    static List<HistoryEvent> history(String executionArn) {
        return stack.sfn.getExecutionHistory(b -> b.executionArn(executionArn).maxResults(1000)).events();
    }

    static String mapRunOf(String executionArn) {
        var runs = stack.sfn.listMapRuns(b -> b.executionArn(executionArn)).mapRuns();
        assertThat(runs).hasSize(1);
        return runs.getFirst().mapRunArn();
    }

    static List<ExecutionListItem> children(String mapRunArn) {
        return stack.sfn.listExecutions(b -> b.mapRunArn(mapRunArn)).executions();
    }

    static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }

    @Test
    void inlineItems_runAsChildExecutions_atMostMaxConcurrencyAtOnce_andTheMapRunIsDescribed() throws Exception {
        String sm = machine("fan-out", "\"ItemsPath\":\"$.items\",\"MaxConcurrency\":2", "STANDARD", 1);

        var described = run(sm, items(4));

        assertThat(described.status()).as(described.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(described.output())).isEqualTo(json(
                "[{\"doubled\":2},{\"doubled\":4},{\"doubled\":6},{\"doubled\":8}]"));
        assertThat(history(described.executionArn())).extracting(HistoryEvent::type).containsSubsequence(
                HistoryEventType.MAP_STATE_ENTERED, HistoryEventType.MAP_STATE_STARTED, HistoryEventType.MAP_RUN_STARTED,
                HistoryEventType.MAP_RUN_SUCCEEDED, HistoryEventType.MAP_STATE_SUCCEEDED, HistoryEventType.MAP_STATE_EXITED,
                HistoryEventType.EXECUTION_SUCCEEDED);
        String mapRunArn = mapRunOf(described.executionArn());
        assertThat(mapRunArn).startsWith(sm.replace(":stateMachine:", ":mapRun:") + "/Fan:");
        var children = children(mapRunArn);
        assertThat(children).hasSize(4).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
            assertThat(c.mapRunArn()).isEqualTo(mapRunArn);
            assertThat(c.stateMachineArn()).isEqualTo(sm + "/Fan");
        });
        // never more than two children at once: each waits a second, so four take two rounds
        assertThat(mostAtOnce(children)).isEqualTo(2);
        // the parent's own listing leaves the children out
        assertThat(stack.sfn.listExecutions(b -> b.stateMachineArn(sm)).executions()).hasSize(1);
        var child = stack.sfn.describeExecution(b -> b.executionArn(children.getFirst().executionArn()));
        assertThat(child.mapRunArn()).isEqualTo(mapRunArn);
        var childMachine = stack.sfn.describeStateMachineForExecution(b -> b.executionArn(child.executionArn()));
        assertThat(childMachine.mapRunArn()).isEqualTo(mapRunArn);
        assertThat(childMachine.label()).isEqualTo("Fan");
        assertThat(childMachine.stateMachineArn()).isEqualTo(sm + "/Fan");
        assertThat(json(childMachine.definition()).path("StartAt").asText()).isEqualTo("Check");

        var mapRun = stack.sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
        assertThat(mapRun.status()).isEqualTo(MapRunStatus.SUCCEEDED);
        assertThat(mapRun.executionArn()).isEqualTo(described.executionArn());
        assertThat(mapRun.maxConcurrency()).isEqualTo(2);
        assertThat(mapRun.itemCounts().total()).isEqualTo(4);
        assertThat(mapRun.itemCounts().succeeded()).isEqualTo(4);
        assertThat(mapRun.itemCounts().pending()).isZero();
        assertThat(mapRun.executionCounts().succeeded()).isEqualTo(4);
        // as AWS counts (LocalStack's AWS-recorded snapshot): every ended child's result is written, ResultWriter or not
        assertThat(mapRun.itemCounts().resultsWritten()).isEqualTo(4);
        assertThat(mapRun.toleratedFailurePercentage()).isZero();
        assertThat(mapRun.toleratedFailureCount()).isZero();
        assertThat(mapRun.stopDate()).isAfterOrEqualTo(mapRun.startDate());
    }

    @Test
    void failuresPastToleratedFailureCount_failTheMap_withExceedToleratedFailureThreshold() throws Exception {
        String sm = machine("tolerant-count", "\"ItemsPath\":\"$.items\",\"ToleratedFailureCount\":1", "STANDARD", 0);

        var tolerated = run(sm, items(4, 2));
        var exceeded = run(sm, items(4, 1, 3));

        assertThat(tolerated.status()).as(tolerated.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(tolerated.output()).get(1).path("Error").asText()).isEqualTo("Item.Refused");
        assertThat(json(tolerated.output()).get(2)).isEqualTo(json("{\"doubled\":6}"));
        assertThat(exceeded.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(exceeded.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
        assertThat(history(exceeded.executionArn())).extracting(HistoryEvent::type)
                .containsSubsequence(HistoryEventType.MAP_RUN_STARTED, HistoryEventType.MAP_RUN_FAILED,
                        HistoryEventType.MAP_STATE_FAILED, HistoryEventType.EXECUTION_FAILED);
        var failedRun = stack.sfn.describeMapRun(b -> b.mapRunArn(mapRunOf(exceeded.executionArn())));
        assertThat(failedRun.status()).isEqualTo(MapRunStatus.FAILED);
        assertThat(failedRun.toleratedFailureCount()).isEqualTo(1);
        assertThat(failedRun.executionCounts().failed()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void toleratedFailurePercentage_isMeasuredOverAllItems() throws Exception {
        String sm = machine("tolerant-percent", "\"ItemsPath\":\"$.items\",\"ToleratedFailurePercentage\":40", "EXPRESS", 0);

        var atTheLimit = run(sm, items(5, 1, 2));
        var past = run(sm, items(5, 1, 2, 3));

        assertThat(atTheLimit.status()).as(atTheLimit.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(past.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(past.error()).isEqualTo("States.ExceedToleratedFailureThreshold");
        var mapRun = stack.sfn.describeMapRun(b -> b.mapRunArn(mapRunOf(atTheLimit.executionArn())));
        assertThat(mapRun.toleratedFailurePercentage()).isEqualTo(40f);
        assertThat(mapRun.itemCounts().failed()).isEqualTo(2);
        assertThat(mapRun.itemCounts().succeeded()).isEqualTo(3);
    }

    @Test
    void describeMapRun_ofAnUnknownRun_isResourceNotFound() {
        String unknown = "arn:aws:states:us-east-1:000000000000:mapRun:nothing/Fan:00000000-0000-0000-0000-000000000000";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> stack.sfn.describeMapRun(b -> b.mapRunArn(unknown)))
                .isInstanceOf(software.amazon.awssdk.services.sfn.model.ResourceNotFoundException.class);
    }

    /** A machine whose Map reads with {@code reader} and whose children answer what they were given. */
    static String echoMachine(String name, String mapFields) {
        String definition = """
                {"StartAt":"Fan","States":{"Fan":{"Type":"Map",%s,"ItemProcessor":{
                  "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Echo",
                  "States":{"Echo":{"Type":"Pass","End":true}}},"End":true}}}""".formatted(mapFields);
        return stack.sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE)).stateMachineArn();
    }

    @Test
    void itemReader_readsAJsonArrayObject_upToMaxItems() throws Exception {
        put("orders/batch.json", "[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}]");
        String sm = echoMachine("json-reader", """
                "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON","MaxItems":2},
                  "Parameters":{"Bucket":"%s","Key.$":"$.key"}}""".formatted(BUCKET));

        var described = run(sm, "{\"key\":\"orders/batch.json\"}");

        assertThat(described.status()).as(described.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(described.output())).isEqualTo(json("[{\"id\":\"a\"},{\"id\":\"b\"}]"));
        assertThat(children(mapRunOf(described.executionArn()))).hasSize(2);
    }

    @Test
    void itemReader_readsCsv_withTheFirstRowOrGivenHeaders() throws Exception {
        put("rows/with-header.csv", "sku,qty\nA-1,2\n\"B,2\",\"say \"\"hi\"\"\"\n");
        put("rows/bare.csv", "C-3,7\n");
        String firstRow = echoMachine("csv-first-row", """
                "ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
                  "ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"},
                  "Parameters":{"Bucket":"%s","Key":"rows/with-header.csv"}}""".formatted(BUCKET));
        String given = echoMachine("csv-given", """
                "ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
                  "ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"GIVEN","CSVHeaders":["sku","qty"]},
                  "Parameters":{"Bucket":"%s","Key":"rows/bare.csv"}}""".formatted(BUCKET));

        var withHeader = run(firstRow, "{}");
        var bare = run(given, "{}");

        assertThat(json(withHeader.output())).isEqualTo(json(
                "[{\"sku\":\"A-1\",\"qty\":\"2\"},{\"sku\":\"B,2\",\"qty\":\"say \\\"hi\\\"\"}]"));
        assertThat(json(bare.output())).isEqualTo(json("[{\"sku\":\"C-3\",\"qty\":\"7\"}]"));
    }

    @Test
    void itemReader_listsObjectsUnderAPrefix() throws Exception {
        put("listing/one.txt", "1");
        put("listing/two.txt", "22");
        put("elsewhere/three.txt", "333");
        String sm = echoMachine("listing-reader", """
                "ItemReader":{"Resource":"arn:aws:states:::s3:listObjectsV2",
                  "Parameters":{"Bucket":"%s","Prefix":"listing/"}},
                "ItemSelector":{"key.$":"$$.Map.Item.Value.Key","size.$":"$$.Map.Item.Value.Size"}""".formatted(BUCKET));

        var described = run(sm, "{}");

        assertThat(described.status()).as(described.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(described.output())).isEqualTo(json(
                "[{\"key\":\"listing/one.txt\",\"size\":1},{\"key\":\"listing/two.txt\",\"size\":2}]"));
    }

    @Test
    void itemReader_ofAMissingObject_failsTheMapWithItemReaderFailed() throws Exception {
        String sm = echoMachine("missing-object", """
                "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},
                  "Parameters":{"Bucket":"%s","Key":"no/such.json"}}""".formatted(BUCKET));

        var described = run(sm, "{}");

        assertThat(described.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(described.error()).isEqualTo("States.ItemReaderFailed");
        assertThat(described.cause()).contains("no/such.json");
    }

    @Test
    void itemBatcher_givesEachChildABatch_withTheBatchInput() throws Exception {
        String sm = echoMachine("batches", """
                "ItemsPath":"$.items","ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"run.$":"$.run"}}""");

        var described = run(sm, "{\"run\":\"r1\",\"items\":[1,2,3,4,5]}");

        assertThat(json(described.output())).isEqualTo(json("""
                [{"BatchInput":{"run":"r1"},"Items":[1,2]},{"BatchInput":{"run":"r1"},"Items":[3,4]},
                 {"BatchInput":{"run":"r1"},"Items":[5]}]"""));
        var mapRun = stack.sfn.describeMapRun(b -> b.mapRunArn(mapRunOf(described.executionArn())));
        assertThat(mapRun.itemCounts().succeeded()).isEqualTo(5);
        assertThat(mapRun.executionCounts().succeeded()).isEqualTo(3);
    }

    @Test
    void resultWriter_writesTheManifestAndTheResultFiles_andTheMapAnswersWhereTheyAre() throws Exception {
        String definition = """
                {"StartAt":"Fan","States":{"Fan":{"Type":"Map","ItemsPath":"$.items","ToleratedFailureCount":5,
                  "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket":"%s","Prefix":"results"}},
                  "ItemProcessor":%s,"End":true}}}""".formatted(BUCKET, PROCESSOR.formatted("STANDARD", 0));
        String sm = stack.sfn.createStateMachine(b -> b.name("writer").definition(definition).roleArn(ROLE))
                .stateMachineArn();

        var described = run(sm, items(3, 2));

        assertThat(described.status()).as(described.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode output = json(described.output());
        String mapRunArn = mapRunOf(described.executionArn());
        String folder = "results/" + mapRunArn.substring(mapRunArn.lastIndexOf(':') + 1) + "/";
        assertThat(output).isEqualTo(json("{\"MapRunArn\":\"" + mapRunArn + "\",\"ResultWriterDetails\":{\"Bucket\":\""
                + BUCKET + "\",\"Key\":\"" + folder + "manifest.json\"}}"));
        JsonNode manifest = json(stack.s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(folder + "manifest.json")).asUtf8String());
        assertThat(manifest.path("DestinationBucket").asText()).isEqualTo(BUCKET);
        assertThat(manifest.path("MapRunArn").asText()).isEqualTo(mapRunArn);
        assertThat(manifest.at("/ResultFiles/SUCCEEDED/0/Key").asText()).isEqualTo(folder + "SUCCEEDED_0.json");
        assertThat(manifest.at("/ResultFiles/FAILED/0/Key").asText()).isEqualTo(folder + "FAILED_0.json");
        JsonNode succeeded = json(stack.s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(folder + "SUCCEEDED_0.json")).asUtf8String());
        assertThat(succeeded).hasSize(2);
        assertThat(succeeded.get(0).path("Status").asText()).isEqualTo("SUCCEEDED");
        assertThat(json(succeeded.get(0).path("Output").asText())).isEqualTo(json("{\"doubled\":2}"));
        assertThat(succeeded.get(0).path("ExecutionArn").asText()).startsWith(sm.replace(":stateMachine:", ":execution:") + "/Fan:");
        JsonNode failed = json(stack.s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(folder + "FAILED_0.json")).asUtf8String());
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).path("Error").asText()).isEqualTo("Item.Refused");
        assertThat(json(failed.get(0).path("Input").asText())).isEqualTo(json("{\"n\":2,\"fail\":true}"));
        assertThat(manifest.at("/ResultFiles/SUCCEEDED/0/Size").asLong()).isEqualTo(
                stack.s3.headObject(b -> b.bucket(BUCKET).key(folder + "SUCCEEDED_0.json")).contentLength());
    }

    @Test
    void updateMapRun_raisesMaxConcurrency_ofARunningMapRun_andAnEndedOneCannotBeUpdated() throws Exception {
        String sm = machine("update-me", "\"ItemsPath\":\"$.items\",\"MaxConcurrency\":1", "STANDARD", 1);
        var arn = stack.sfn.startExecution(b -> b.stateMachineArn(sm).input(items(4))).executionArn();
        String mapRunArn = awaitMapRun(arn);

        stack.sfn.updateMapRun(b -> b.mapRunArn(mapRunArn).maxConcurrency(4).toleratedFailureCount(3L));
        var described = awaitEnd(arn);

        assertThat(described.status()).as(described.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        var mapRun = stack.sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
        assertThat(mapRun.maxConcurrency()).isEqualTo(4);
        assertThat(mapRun.toleratedFailureCount()).isEqualTo(3);
        // the three children after the first ran together, as the update allowed
        var children = children(mapRunArn);
        assertThat(mostAtOnce(children)).isGreaterThan(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> stack.sfn.updateMapRun(b -> b.mapRunArn(mapRunArn).maxConcurrency(2)))
                .isInstanceOf(software.amazon.awssdk.services.sfn.model.ValidationException.class)
                .hasMessageContaining("SUCCEEDED");
    }

    @Test
    void stoppingTheParent_abortsTheMapRun_andStopsItsChildren() throws Exception {
        String sm = machine("stop-me", "\"ItemsPath\":\"$.items\"", "STANDARD", 30);
        var arn = stack.sfn.startExecution(b -> b.stateMachineArn(sm).input(items(3))).executionArn();
        String mapRunArn = awaitMapRun(arn);
        var deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (children(mapRunArn).size() < 3 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }

        stack.sfn.stopExecution(b -> b.executionArn(arn).error("Test.Stop"));

        assertThat(awaitEnd(arn).status()).isEqualTo(ExecutionStatus.ABORTED);
        var mapRun = stack.sfn.describeMapRun(b -> b.mapRunArn(mapRunArn));
        assertThat(mapRun.status()).isEqualTo(MapRunStatus.ABORTED);
        assertThat(mapRun.stopDate()).isNotNull();
        while (children(mapRunArn).stream().anyMatch(c -> c.status() == ExecutionStatus.RUNNING)
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        assertThat(children(mapRunArn)).hasSize(3).allSatisfy(c -> assertThat(c.status()).isEqualTo(ExecutionStatus.ABORTED));
    }

    /** The most children running at one instant: at each child's start, those started and not yet stopped. */
    static long mostAtOnce(List<ExecutionListItem> children) {
        return children.stream().mapToLong(c -> children.stream().filter(o -> !o.startDate().isAfter(c.startDate())
                && o.stopDate().isAfter(c.startDate())).count()).max().orElseThrow();
    }

    static String awaitMapRun(String executionArn) throws InterruptedException {
        var deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            var runs = stack.sfn.listMapRuns(b -> b.executionArn(executionArn)).mapRuns();
            if (!runs.isEmpty()) {
                return runs.getFirst().mapRunArn();
            }
            Thread.sleep(10);
        }
        throw new AssertionError(executionArn + " never started its Map Run");
    }

    static DescribeExecutionResponse awaitEnd(String executionArn) throws InterruptedException {
        return stack.awaitEnd(executionArn, Duration.ofSeconds(60));
    }


    @Test
    void aJsonataDistributedMap_takesItsItemsFromAnExpression_andItsChildrenSpeakJsonata() throws Exception {
        String definition = """
                {"QueryLanguage":"JSONata","StartAt":"Fan","States":{"Fan":{"Type":"Map","Items":"{% $states.input.xs %}",
                  "ItemSelector":{"x":"{% $states.context.Map.Item.Value %}","at":"{% $states.context.Map.Item.Index %}"},
                  "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},"StartAt":"Times",
                    "States":{"Times":{"Type":"Pass","Output":"{% $states.input.x * 10 + $states.input.at %}","End":true}}},
                  "End":true}}}""";
        String sm = stack.sfn.createStateMachine(b -> b.name("jsonata-fan").definition(definition).roleArn(ROLE))
                .stateMachineArn();

        var described = run(sm, "{\"xs\":[1,2,3]}");

        assertThat(described.status()).as(described.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(json(described.output())).isEqualTo(json("[10,21,32]"));
    }

    static void put(String key, String body) {
        stack.s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(body));
    }
}
