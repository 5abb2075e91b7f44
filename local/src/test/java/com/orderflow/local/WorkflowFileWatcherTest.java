package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderflow.local.sfn.DefinitionTemplate;
import com.orderflow.local.sfn.StepFunctionsConfig;
import com.orderflow.local.sfn.StepFunctionsServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/** Hot reload against the real endpoint: each save is a version, a bad save changes nothing, running runs keep theirs. */
class WorkflowFileWatcherTest {

    /** Holds for a few seconds, so an execution is still running when the file is saved again. */
    static final String HOLDING = """
            {"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":4,"Next":"Say"},
             "Say":{"Type":"Pass","Result":"one","End":true}}}""";
    /** The placeholder is filled as at start. */
    static final String TEMPLATED = """
            {"StartAt":"Say","States":{"Say":{"Type":"Pass","Result":"${Word}","End":true}}}""";
    static final String BROKEN = """
            {"StartAt":"Say","States":{"Say":{"Type":"Pass","Next":"Nowhere"}}}""";
    static final String UNRUNNABLE = """
            {"StartAt":"Say","States":{"Say":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","End":true}}}""";

    @TempDir
    Path dir;
    Path file;
    StepFunctionsServer server;
    SfnClient sfn;
    String arn;
    WorkflowFileWatcher watcher;
    final List<String> printed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        file = Files.createDirectories(dir.resolve("statemachine")).resolve("workflow.asl.json");
        Files.writeString(file, HOLDING);
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).build());
        sfn = SfnClient.builder().endpointOverride(URI.create(server.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        arn = server.stateMachines().create("watched", HOLDING, LocalStack.ROLE_ARN,
                com.orderflow.local.sfn.StateMachine.StateMachineType.STANDARD).arn();
        watcher = WorkflowFileWatcher.start(file, "workflow.asl.json",
                text -> DefinitionTemplate.render(text, Map.of("Word", "two")), server.api(), arn, printed::add);
    }

    @AfterEach
    void stop() {
        watcher.close();
        sfn.close();
        server.close();
    }

    @Test
    void aSave_publishesANewVersion_whileTheRunningExecutionFinishesOnTheOneItStartedWith() throws Exception {
        var running = sfn.startExecution(b -> b.stateMachineArn(arn)).executionArn();

        Files.writeString(file, TEMPLATED);
        var line = awaitLine(l -> l.contains("published version"));
        var afterSave = sfn.startExecution(b -> b.stateMachineArn(arn)).executionArn();

        assertThat(line).startsWith("workflow.asl.json saved: published version 1 (" + arn + ":1)");
        assertThat(sfn.describeExecution(b -> b.executionArn(running)).status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(awaitEnd(afterSave).output()).isEqualTo("\"two\"");
        assertThat(awaitEnd(running).output()).isEqualTo("\"one\"");
        assertThat(sfn.describeStateMachineForExecution(b -> b.executionArn(running)).definition()).isEqualTo(HOLDING);
        assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(arn + ":1")).definition())
                .isEqualTo(TEMPLATED.replace("${Word}", "two"));
        assertThat(printed).hasSize(1);
    }

    @Test
    void anInvalidSave_isReportedWithItsDiagnostics_andTheRunningVersionStays() throws Exception {
        Files.writeString(file, BROKEN);
        var broken = awaitLine(l -> l.contains("MISSING_TRANSITION_TARGET"));
        Files.writeString(file, UNRUNNABLE);
        var unrunnable = awaitLine(l -> l.contains("INVALID_RESOURCE"));

        assertThat(broken).contains("not published, the running version stays", "/States/Say/Next");
        assertThat(unrunnable).contains("arn:aws:states:::sns:publish", "/States/Say/Resource");
        assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition()).isEqualTo(HOLDING);
        assertThat(sfn.listStateMachineVersions(b -> b.stateMachineArn(arn)).stateMachineVersions()).isEmpty();
    }

    @Test
    void aSaveByRenamingANewFileOverTheOld_asEditorsDo_isSeenToo_andAnUnchangedSavePublishesNothing() throws Exception {
        var replacement = dir.resolve("statemachine").resolve(".workflow.asl.json.swp");
        Files.writeString(replacement, TEMPLATED);
        Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        awaitLine(l -> l.contains("published version 1"));

        Files.writeString(file, TEMPLATED);
        Files.writeString(file, BROKEN);
        awaitLine(l -> l.contains("not published"));

        // the identical save in between published nothing: still one version, two lines in all
        assertThat(sfn.listStateMachineVersions(b -> b.stateMachineArn(arn)).stateMachineVersions()).hasSize(1);
        assertThat(printed).hasSize(2);
    }

    private String awaitLine(Predicate<String> wanted) throws InterruptedException {
        var deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            var found = printed.stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such line printed within 20 s; printed: " + printed);
    }

    private DescribeExecutionResponse awaitEnd(String executionArn) throws InterruptedException {
        var deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            var d = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING) {
                return d;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(executionArn + " still running after 30 s");
    }
}
