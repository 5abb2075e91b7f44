package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderflow.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * Distributed Map cases whose outcome AWS recorded (LocalStack's AWS-validated snapshots of its Step Functions
 * scenarios: CSV reading, item reader failures, tolerated-failure and MaxItems paths), run against the local stack
 * through the SDK with the same inputs.
 */
class DistributedMapRecordedCasesTest {

    static final String ROLE = "arn:aws:iam::123456789012:role/StepFunctionsLocal";
    static final String BUCKET = "recorded-cases";

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

    /** A Distributed Map whose children answer their item, with {@code fields} added to the Map state. */
    static DescribeExecutionResponse run(String name, String fields, String input) throws InterruptedException {
        String definition = """
                {"StartAt":"MapState","States":{"MapState":{"Type":"Map",%s,"ItemProcessor":{
                  "ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Echo",
                  "States":{"Echo":{"Type":"Pass","End":true}}},"End":true}}}""".formatted(fields);
        String sm = stack.sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE)).stateMachineArn();
        var arn = stack.sfn.startExecution(b -> b.stateMachineArn(sm).input(input)).executionArn();
        var deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            var described = stack.sfn.describeExecution(b -> b.executionArn(arn));
            if (described.status() != ExecutionStatus.RUNNING || Instant.now().isAfter(deadline)) {
                return described;
            }
            Thread.sleep(20);
        }
    }

    static String csvReader(String key, String config) {
        return """
                "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV",%s},
                  "Parameters":{"Bucket":"%s","Key":"%s"}}""".formatted(config, BUCKET, key);
    }

    static void put(String key, String body) {
        stack.s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(body));
    }

    @Test
    void csvWithMoreFieldsThanHeaders_dropsTheExtraOnes_andFillsMissingOnesEmpty() throws Exception {
        put("extra.csv", "H1,\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n");

        var described = run("csv-extra-fields", csvReader("extra.csv", "\"CSVHeaderLocation\":\"FIRST_ROW\""), "{}");

        assertThat(Json.mapper().readTree(described.output())).isEqualTo(Json.mapper().readTree("""
                [{"":"Value5","H1":"Value4"},{"":"","H1":""},{"":"1","H1":"true"},{"":"None","H1":"Null"},
                 {"":"","H1":"   "}]"""));
    }

    @Test
    void csvWithDuplicateHeaders_failsTheMapRun_withItemReaderFailed() throws Exception {
        put("dupes.csv", "a,b\n1,2\n");

        var described = run("csv-duplicate-headers", csvReader("dupes.csv",
                "\"CSVHeaderLocation\":\"GIVEN\",\"CSVHeaders\":[\"H\",\"H\"]"), "{}");

        assertThat(described.error()).isEqualTo("States.ItemReaderFailed");
        assertThat(described.cause()).isEqualTo("CSV headers cannot contain duplicates.");
    }

    @Test
    void aJsonObjectThatIsNoArray_failsTheMapRunAfterItStarted() throws Exception {
        put("object.json", "{\"not\":\"a list\"}");

        var described = run("json-no-list", """
                "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"JSON"},
                  "Parameters":{"Bucket":"%s","Key":"object.json"}}""".formatted(BUCKET), "{}");

        assertThat(described.error()).isEqualTo("States.ItemReaderFailed");
        assertThat(described.cause()).isEqualTo("Attempting to map over non-iterable node.");
        var events = stack.sfn.getExecutionHistory(b -> b.executionArn(described.executionArn())).events();
        assertThat(events).extracting(HistoryEvent::type).containsExactly(HistoryEventType.EXECUTION_STARTED,
                HistoryEventType.MAP_STATE_ENTERED, HistoryEventType.MAP_STATE_STARTED, HistoryEventType.MAP_RUN_STARTED,
                HistoryEventType.MAP_RUN_FAILED, HistoryEventType.MAP_STATE_FAILED, HistoryEventType.EXECUTION_FAILED);
        // a Map that reads its items records no length: it does not know it yet
        assertThat(events.get(2).mapStateStartedEventDetails().length()).isZero();
        assertThat(events.get(4).mapRunFailedEventDetails().error()).isEqualTo("States.ItemReaderFailed");
    }

    @Test
    void pathsThatSelectNoUsableNumber_failTheStateWithAwsWords() throws Exception {
        put("four.csv", "Col1,Col2\nValue1,Value2\nValue3,Value4\nValue5,Value6\nValue7,Value8\n");

        var notInteger = run("count-path", "\"ItemsPath\":\"$.Items\",\"ToleratedFailureCountPath\":\"$.ToleratedFailureCount\"",
                "{\"Items\":[0],\"ToleratedFailureCount\":\"NoNumber\"}");
        var negative = run("count-negative", "\"ItemsPath\":\"$.Items\",\"ToleratedFailureCountPath\":\"$.ToleratedFailureCount\"",
                "{\"Items\":[0],\"ToleratedFailureCount\":-1}");
        var tooMuch = run("percent-path", "\"ItemsPath\":\"$.Items\",\"ToleratedFailurePercentagePath\":\"$.P\"",
                "{\"Items\":[0],\"P\":100.1}");
        var fraction = run("max-items-fraction", csvReader("four.csv", "\"MaxItemsPath\":\"$.MaxItems\""),
                "{\"MaxItems\":1.5}");
        var zero = run("max-items-zero", csvReader("four.csv", "\"MaxItemsPath\":\"$.MaxItems\""), "{\"MaxItems\":0}");

        assertThat(notInteger.error()).isEqualTo("States.Runtime");
        assertThat(notInteger.cause()).isEqualTo("An error occurred while executing the state 'MapState' (entered at the "
                + "event id #2). The ToleratedFailureCountPath field refers to value \"NoNumber\" which is not a valid "
                + "integer: $.ToleratedFailureCount");
        assertThat(negative.cause()).endsWith("ToleratedFailureCount cannot be negative.");
        assertThat(tooMuch.cause()).endsWith("ToleratedFailurePercentage must be between 0 and 100.");
        assertThat(fraction.cause()).endsWith(
                "The MaxItemsPath field refers to value \"1.5\" which is not a valid integer: $.MaxItems");
        assertThat(Json.mapper().readTree(zero.output())).hasSize(4);
    }
}
