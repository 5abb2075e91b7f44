package com.orderflow.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The AWS CLI (botocore, a different HTTP stack from the Java SDK's) against the endpoint, as the README uses it. */
class AwsCliTest {

    static StepFunctionsServer server;

    @BeforeAll
    static void start() {
        assumeTrue(onPath("aws"), "the AWS CLI is not installed");
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).build());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static boolean onPath(String command) {
        var path = System.getenv("PATH");
        return path != null && List.of(path.split(java.io.File.pathSeparator)).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return Json.mapper().readTree(out);
        }
    }

    static Run aws(Path dir, String... args) throws Exception {
        var command = new ArrayList<>(List.of("aws", "stepfunctions", "--endpoint-url", server.endpoint(),
                "--output", "json"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        builder.environment().put("AWS_ACCESS_KEY_ID", "local");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "local");
        builder.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        builder.environment().put("AWS_MAX_ATTEMPTS", "1");
        // StartSyncExecution is sent to the host sync-<endpoint host>, which no local endpoint has; botocore's own
        // switch sends it to the endpoint as given (the README says to export it)
        builder.environment().put("AWS_DISABLE_HOST_PREFIX_INJECTION", "true");
        var process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("aws did not finish: " + command);
        }
        return new Run(process.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void createStartDescribe_andAnUnknownExecution_asTheCliSeesThem(@TempDir Path dir) throws Exception {
        var input = "{\"note\":\"" + "n".repeat(3000) + "\"}";

        var created = aws(dir, "create-state-machine", "--name", "cli", "--role-arn", StepFunctionsServerTest.ROLE,
                "--definition", StepFunctionsServerTest.PASS);
        var arn = created.json().path("stateMachineArn").asText();
        var started = aws(dir, "start-execution", "--state-machine-arn", arn, "--name", "one",
                "--input", input.replace("note", "name"));
        var executionArn = started.json().path("executionArn").asText();
        var history = aws(dir, "get-execution-history", "--execution-arn", executionArn);
        var unknown = aws(dir, "describe-execution", "--execution-arn", executionArn + "-missing");

        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(started.exit()).as(started.err()).isZero();
        assertThat(history.exit()).as(history.err()).isZero();
        assertThat(history.json().path("events").get(0).path("type").asText()).isEqualTo("ExecutionStarted");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("ExecutionDoesNotExist");
    }

    @Test
    void validatePublishAliasAndTags_asTheCliSeesThem(@TempDir Path dir) throws Exception {
        var invalid = aws(dir, "validate-state-machine-definition", "--definition",
                "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"}}}");
        var created = aws(dir, "create-state-machine", "--name", "cli-versions", "--role-arn",
                StepFunctionsServerTest.ROLE, "--definition", StepFunctionsServerTest.PASS, "--publish",
                "--tags", "key=team,value=orders");
        var arn = created.json().path("stateMachineArn").asText();
        var published = aws(dir, "publish-state-machine-version", "--state-machine-arn", arn);
        var alias = aws(dir, "create-state-machine-alias", "--name", "PROD", "--routing-configuration",
                "stateMachineVersionArn=" + arn + ":1,weight=100");
        var started = aws(dir, "start-execution", "--state-machine-arn", arn + ":PROD");
        var described = aws(dir, "describe-execution", "--execution-arn", started.json().path("executionArn").asText());
        var versions = aws(dir, "list-state-machine-versions", "--state-machine-arn", arn);
        var tags = aws(dir, "list-tags-for-resource", "--resource-arn", arn);
        var unknown = aws(dir, "send-task-success", "--task-token", "t", "--task-output", "{}");
        var unknownMapRun = aws(dir, "update-map-run", "--map-run-arn", arn.replace(":stateMachine:", ":mapRun:")
                + "/Fan:x", "--max-concurrency", "2");

        assertThat(invalid.exit()).as(invalid.err()).isZero();
        assertThat(invalid.json().path("result").asText()).isEqualTo("FAIL");
        assertThat(invalid.json().path("diagnostics").get(0).path("location").asText()).isEqualTo("/States/A/Next");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.json().path("stateMachineVersionArn").asText()).isEqualTo(arn + ":1");
        assertThat(published.json().path("stateMachineVersionArn").asText()).isEqualTo(arn + ":1");
        assertThat(alias.exit()).as(alias.err()).isZero();
        assertThat(described.json().path("stateMachineAliasArn").asText()).isEqualTo(arn + ":PROD");
        assertThat(described.json().path("stateMachineVersionArn").asText()).isEqualTo(arn + ":1");
        assertThat(versions.json().path("stateMachineVersions")).hasSize(1);
        assertThat(tags.json().path("tags").get(0).path("value").asText()).isEqualTo("orders");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("InvalidToken");
        assertThat(unknownMapRun.exit()).isNotZero();
        assertThat(unknownMapRun.err()).contains("ResourceNotFound");
    }

    @Test
    void activityWorker_pollsAndAnswersWithTheCli(@TempDir Path dir) throws Exception {
        var activity = aws(dir, "create-activity", "--name", "cli-approve").json().path("activityArn").asText();
        var definition = """
                {"StartAt":"Approve","States":{"Approve":{"Type":"Task","Resource":"%s","HeartbeatSeconds":60,
                  "End":true}}}""".formatted(activity);
        var arn = aws(dir, "create-state-machine", "--name", "cli-activity", "--role-arn", StepFunctionsServerTest.ROLE,
                "--definition", definition).json().path("stateMachineArn").asText();
        var approved = aws(dir, "start-execution", "--state-machine-arn", arn, "--input", "{\"order\":1}")
                .json().path("executionArn").asText();
        var rejected = aws(dir, "start-execution", "--state-machine-arn", arn, "--input", "{\"order\":2}")
                .json().path("executionArn").asText();

        var first = aws(dir, "get-activity-task", "--activity-arn", activity, "--worker-name", "cli");
        var second = aws(dir, "get-activity-task", "--activity-arn", activity, "--worker-name", "cli");
        var beat = aws(dir, "send-task-heartbeat", "--task-token", first.json().path("taskToken").asText());
        var success = aws(dir, "send-task-success", "--task-token", first.json().path("taskToken").asText(),
                "--task-output", "{\"approved\":true}");
        var failure = aws(dir, "send-task-failure", "--task-token", second.json().path("taskToken").asText(),
                "--error", "Rejected", "--cause", "by the CLI");
        var late = aws(dir, "send-task-success", "--task-token", first.json().path("taskToken").asText(),
                "--task-output", "{}");
        var listed = aws(dir, "list-activities");

        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(Json.mapper().readTree(first.json().path("input").asText()).path("order").asInt()).isEqualTo(1);
        assertThat(Json.mapper().readTree(second.json().path("input").asText()).path("order").asInt()).isEqualTo(2);
        assertThat(beat.exit()).as(beat.err()).isZero();
        assertThat(success.exit()).as(success.err()).isZero();
        assertThat(failure.exit()).as(failure.err()).isZero();
        assertThat(late.err()).contains("TaskTimedOut");
        assertThat(listed.json().path("activities").get(0).path("name").asText()).isEqualTo("cli-approve");
        assertThat(endStatus(dir, approved)).isEqualTo("SUCCEEDED");
        assertThat(endStatus(dir, rejected)).isEqualTo("FAILED");
        var failedHistory = aws(dir, "get-execution-history", "--execution-arn", rejected).json().path("events");
        assertThat(failedHistory.findValues("activityFailedEventDetails").getFirst().path("cause").asText())
                .isEqualTo("by the CLI");
    }

    /** Polls describe-execution with the CLI until the execution has ended (or 30 s have passed). */
    private static String endStatus(Path dir, String executionArn) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            var status = aws(dir, "describe-execution", "--execution-arn", executionArn).json().path("status").asText();
            if (!status.equals("RUNNING") || System.nanoTime() > deadline) {
                return status;
            }
            Thread.sleep(100);
        }
    }

    @Test
    void startSyncExecutionAndTestState_onTheSyncHostPrefix_asTheCliSeesThem(@TempDir Path dir) throws Exception {
        var created = aws(dir, "create-state-machine", "--name", "cli-express", "--type", "EXPRESS", "--role-arn",
                StepFunctionsServerTest.ROLE, "--definition", StepFunctionsServerTest.PASS);
        var run = aws(dir, "start-sync-execution", "--state-machine-arn",
                created.json().path("stateMachineArn").asText(), "--input", "{\"name\":\"cli\"}");

        var tested = aws(dir, "test-state", "--definition", "{\"Type\":\"Pass\",\"Next\":\"After\"}",
                "--input", "{\"a\":1}");

        assertThat(tested.exit()).as(tested.err()).isZero();
        assertThat(tested.json().path("nextState").asText()).isEqualTo("After");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.json().path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.json().path("output").asText()).isEqualTo("{\"greeting\":\"cli\"}");
    }

    @Test
    void redriveExecution_asTheCliSeesIt(@TempDir Path dir) throws Exception {
        // the Pass state reads $$.Execution.RedriveTime, which a run that was never redriven does not have
        var definition = "{\"StartAt\":\"Stamp\",\"States\":{\"Stamp\":{\"Type\":\"Pass\","
                + "\"Parameters\":{\"redrivenAt.$\":\"$$.Execution.RedriveTime\"},\"End\":true}}}";
        var created = aws(dir, "create-state-machine", "--name", "cli-redrive", "--role-arn",
                StepFunctionsServerTest.ROLE, "--definition", definition);
        var started = aws(dir, "start-execution", "--state-machine-arn", created.json().path("stateMachineArn").asText());
        var executionArn = started.json().path("executionArn").asText();
        var failed = awaitEnd(dir, executionArn);

        var redriven = aws(dir, "redrive-execution", "--execution-arn", executionArn);
        var succeeded = awaitEnd(dir, executionArn);
        var again = aws(dir, "redrive-execution", "--execution-arn", executionArn);

        assertThat(failed.path("status").asText()).isEqualTo("FAILED");
        assertThat(failed.path("redriveStatus").asText()).isEqualTo("REDRIVABLE");
        assertThat(redriven.exit()).as(redriven.err()).isZero();
        assertThat(redriven.json().has("redriveDate")).isTrue();
        assertThat(succeeded.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(succeeded.path("redriveCount").asInt()).isEqualTo(1);
        assertThat(Json.mapper().readTree(succeeded.path("output").asText()).path("redrivenAt").asText()).isNotEmpty();
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("ExecutionNotRedrivable");
    }

    private static JsonNode awaitEnd(Path dir, String executionArn) throws Exception {
        for (int i = 0; i < 100; i++) {
            var described = aws(dir, "describe-execution", "--execution-arn", executionArn).json();
            if (!described.path("status").asText().equals("RUNNING")) {
                return described;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("still RUNNING: " + executionArn);
    }
}
