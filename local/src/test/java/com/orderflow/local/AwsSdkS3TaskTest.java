package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;

/**
 * {@code arn:aws:states:::aws-sdk:s3:*} Tasks driven with the SDK's SfnClient against the running local stack: they
 * really read and write its S3 (checked with an S3Client), answer in the SDK's PascalCase shapes, fail with
 * {@code S3.NoSuchKeyException} for Catch to take, and record the history AWS records; what cannot run is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsSdkS3TaskTest {

    private static final String BUCKET = "sdk-tasks";
    private static final String ROLE = "arn:aws:iam::000000000000:role/orderflow-local-workflow";
    private static final String SDK = "arn:aws:states:::aws-sdk:s3:";

    private static final String WORKFLOW = """
            {"StartAt":"Put","States":{
              "Put":{"Type":"Task","Resource":"%1$sputObject","Parameters":{"Bucket":"%2$s","Key.$":"$.key",
                "Body":{"hello.$":"$.name","items":[1,2]},"ContentType":"application/json","Metadata":{"origin":"sfn"}},
                "ResultPath":"$.put","Next":"Head"},
              "Head":{"Type":"Task","Resource":"%1$sheadObject","Parameters":{"Bucket":"%2$s","Key.$":"$.key"},
                "ResultPath":"$.head","Next":"Copy"},
              "Copy":{"Type":"Task","Resource":"%1$scopyObject","Parameters":{"Bucket":"%2$s","Key":"in/copy.json",
                "CopySource.$":"States.Format('%2$s/{}', $.key)"},"ResultPath":"$.copy","Next":"List"},
              "List":{"Type":"Task","Resource":"%1$slistObjectsV2","Parameters":{"Bucket":"%2$s","Prefix":"in/",
                "MaxKeys":10},"ResultPath":"$.list","Next":"Versions"},
              "Versions":{"Type":"Task","Resource":"%1$slistObjectVersions","Parameters":{"Bucket":"%2$s",
                "Prefix":"in/copy"},"ResultPath":"$.versions","Next":"Get"},
              "Get":{"Type":"Task","Resource":"%1$sgetObject","Parameters":{"Bucket":"%2$s","Key.$":"$.key"},
                "ResultSelector":{"body.$":"States.StringToJson($.Body)","type.$":"$.ContentType",
                  "metadata.$":"$.Metadata","length.$":"$.ContentLength"},"ResultPath":"$.got","Next":"Delete"},
              "Delete":{"Type":"Task","Resource":"%1$sdeleteObject","Parameters":{"Bucket":"%2$s","Key":"in/copy.json"},
                "ResultPath":"$.deleted","Next":"Missing"},
              "Missing":{"Type":"Task","Resource":"%1$sgetObject","Parameters":{"Bucket":"%2$s","Key":"in/absent"},
                "Catch":[{"ErrorEquals":["S3.NoSuchKeyException"],"ResultPath":"$.missing","Next":"NoBucket"}],
                "Next":"Done"},
              "NoBucket":{"Type":"Task","Resource":"%1$slistObjectsV2","Parameters":{"Bucket":"no-such-bucket"},
                "Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.noBucket","Next":"PutNumber"}],
                "Next":"Done"},
              "PutNumber":{"Type":"Task","Resource":"%1$sputObject","Parameters":{"Bucket":"%2$s","Key":"num/zero",
                "Body":0},"ResultPath":null,"Next":"Done"},
              "Done":{"Type":"Succeed"}}}""".formatted(SDK, BUCKET);

    @TempDir
    static Path scratch;

    private RunningStack running;

    @BeforeAll
    void start() {
        running = RunningStack.inMemory(scratch);
        running.s3.createBucket(b -> b.bucket(BUCKET));
        running.s3.putBucketVersioning(b -> b.bucket(BUCKET)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }

    @AfterAll
    void stop() {
        running.close();
    }

    @Test
    void putGetCopyListDelete_runAgainstTheLocalS3_andAMissingKeyIsCaughtAsNoSuchKeyException() throws Exception {
        // given
        String arn = running.sfn.createStateMachine(b -> b.name("sdk-s3").definition(WORKFLOW).roleArn(ROLE))
                .stateMachineArn();

        // when
        String execution = running.sfn.startExecution(b -> b.stateMachineArn(arn)
                .input("{\"key\":\"in/order.json\",\"name\":\"world\"}")).executionArn();
        var described = awaitEnd(execution);

        // then the object is really in the local S3, as the workflow wrote it
        assertThat(described.status()).as(described.error() + ": " + described.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
        var stored = running.s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("in/order.json"));
        assertThat(Json.mapper().readTree(stored.asUtf8String()))
                .isEqualTo(Json.mapper().readTree("{\"hello\":\"world\",\"items\":[1,2]}"));
        assertThat(stored.response().contentType()).isEqualTo("application/json");
        assertThat(stored.response().metadata()).containsEntry("origin", "sfn");
        assertThatThrownBy(() -> running.s3.headObject(b -> b.bucket(BUCKET).key("in/copy.json")))
                .isInstanceOf(NoSuchKeyException.class);

        // and each Task answered with the SDK response's fields in PascalCase
        JsonNode out = Json.mapper().readTree(described.output());
        assertThat(out.path("put").path("ETag").asText()).isEqualTo(stored.response().eTag());
        assertThat(out.path("put").path("VersionId").asText()).isEqualTo(stored.response().versionId());
        assertThat(out.path("head").path("ContentLength").asLong()).isEqualTo(stored.asByteArray().length);
        assertThat(out.path("head").path("Metadata").path("origin").asText()).isEqualTo("sfn");
        assertThat(out.path("copy").path("CopyObjectResult").path("ETag").asText()).isEqualTo(stored.response().eTag());
        assertThat(out.path("list").path("KeyCount").asInt()).isEqualTo(2);
        assertThat(out.path("list").path("Contents").findValuesAsText("Key")).containsExactly("in/copy.json", "in/order.json");
        assertThat(out.path("versions").path("Versions").findValuesAsText("Key")).containsExactly("in/copy.json");
        assertThat(out.path("got").path("body").path("hello").asText()).isEqualTo("world");
        assertThat(out.path("got").path("type").asText()).isEqualTo("application/json");
        assertThat(out.path("got").path("length").asLong()).isEqualTo(stored.asByteArray().length);
        assertThat(out.path("deleted").path("DeleteMarker").asBoolean()).isTrue();
        assertThat(out.path("missing").path("Error").asText()).isEqualTo("S3.NoSuchKeyException");
        assertThat(out.path("missing").path("Cause").asText()).matches("The specified key does not exist\\. "
                + "\\(Service: S3, Status Code: 404, Request ID: [^,]+, Extended Request ID: [^)]+\\)");
        // States.TaskFailed takes an S3 error too, as on AWS
        assertThat(out.path("noBucket").path("Error").asText()).isEqualTo("S3.NoSuchBucketException");
        assertThat(out.path("noBucket").path("Cause").asText()).startsWith("The specified bucket does not exist");
        // a Body that is a number is written as its JSON text, as text/plain when no ContentType is given
        var zero = running.s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("num/zero"));
        assertThat(zero.asUtf8String()).isEqualTo("0");
        assertThat(zero.response().contentType()).isEqualTo("text/plain; charset=UTF-8");

        // and the history names the SDK integration as AWS records it
        List<HistoryEvent> events = running.sfn.getExecutionHistory(b -> b.executionArn(execution)).events();
        var scheduled = events.stream().filter(e -> e.type() == HistoryEventType.TASK_SCHEDULED).toList();
        assertThat(scheduled).extracting(e -> e.taskScheduledEventDetails().resourceType()).containsOnly("aws-sdk:s3");
        assertThat(scheduled).extracting(e -> e.taskScheduledEventDetails().resource()).containsExactly("putObject",
                "headObject", "copyObject", "listObjectsV2", "listObjectVersions", "getObject", "deleteObject", "getObject", "listObjectsV2", "putObject");
        assertThat(Json.mapper().readTree(scheduled.getFirst().taskScheduledEventDetails().parameters()).path("Key").asText())
                .isEqualTo("in/order.json");
        assertThat(events.stream().filter(e -> e.type() == HistoryEventType.TASK_STARTED)
                .map(e -> e.taskStartedEventDetails().resourceType() + ":" + e.taskStartedEventDetails().resource()))
                .hasSize(10).first().isEqualTo("aws-sdk:s3:putObject");
        assertThat(events.stream().filter(e -> e.type() == HistoryEventType.TASK_SUCCEEDED)).hasSize(8);
        var failed = events.stream().filter(e -> e.type() == HistoryEventType.TASK_FAILED).toList();
        assertThat(failed).extracting(e -> e.taskFailedEventDetails().error())
                .containsExactly("S3.NoSuchKeyException", "S3.NoSuchBucketException");
        assertThat(failed).first().satisfies(e -> {
            assertThat(e.taskFailedEventDetails().error()).isEqualTo("S3.NoSuchKeyException");
            assertThat(e.taskFailedEventDetails().resourceType()).isEqualTo("aws-sdk:s3");
            assertThat(e.taskFailedEventDetails().resource()).isEqualTo("getObject");
        });
    }

    @Test
    void aResourceTheStackCannotRun_isRefusedAtCreate_namingIt() {
        for (String resource : List.of(SDK + "createBucket", "arn:aws:states:::aws-sdk:dynamodb:getItem",
                SDK + "getObject.waitForTaskToken", SDK + "getObject.sync")) {
            String definition = """
                    {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"%s","Parameters":{"Bucket":"b"},"End":true}}}"""
                    .formatted(resource);
            assertThatThrownBy(() -> running.sfn.createStateMachine(b -> b.name("refused").definition(definition)
                    .roleArn(ROLE)))
                    .as(resource).isInstanceOf(InvalidDefinitionException.class)
                    .hasMessageContaining("The resource '" + resource + "' cannot run here");
            var diagnostics = running.sfn.validateStateMachineDefinition(b -> b.definition(definition)).diagnostics();
            assertThat(diagnostics).as(resource).singleElement()
                    .satisfies(d -> assertThat(d.message()).contains(resource));
        }
    }

    @Test
    void aParameterTheActionHasNot_failsTheTaskNamingIt() throws Exception {
        String definition = """
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"%sgetObject",
                  "Parameters":{"Bucket":"%s","Key":"k","Nonsense":1},"End":true}}}""".formatted(SDK, BUCKET);
        String arn = running.sfn.createStateMachine(b -> b.name("bad-field").definition(definition).roleArn(ROLE))
                .stateMachineArn();
        var described = awaitEnd(running.sfn.startExecution(b -> b.stateMachineArn(arn)).executionArn());
        assertThat(described.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(described.error()).isEqualTo("States.Runtime");
        assertThat(described.cause()).contains("'Nonsense'").contains("getObject");
    }

    private DescribeExecutionResponse awaitEnd(String executionArn) throws InterruptedException {
        var deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            var described = running.sfn.describeExecution(b -> b.executionArn(executionArn));
            if (described.status() != ExecutionStatus.RUNNING || Instant.now().isAfter(deadline)) {
                return described;
            }
            Thread.sleep(20);
        }
    }
}
