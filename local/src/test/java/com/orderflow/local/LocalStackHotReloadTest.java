package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/** The stack on a copy of the project's workflow file: saving the file publishes it, placeholders filled as at start. */
class LocalStackHotReloadTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path root;

    @Test
    void savingTheRealWorkflowFile_publishesAVersionWithTheFunctionArnsFilledIn() throws Exception {
        var file = Files.createDirectories(root.resolve("statemachine")).resolve("order-workflow.asl.json");
        var original = Files.readString(RunningStack.ROOT.resolve(LocalStackConfig.DEFINITION_FILE));
        Files.writeString(file, original);
        var config = LocalStackConfig.resolve(List.of("--root=" + root), Map.of(), Map.of(), root)
                .withPorts(0, 0, 0).withStorage(root.resolve("data"), true);
        var progress = new CopyOnWriteArrayList<String>();

        try (var stack = LocalStack.start(config, progress::add, QUIET);
             var sfn = SfnClient.builder().endpointOverride(stack.sfnEndpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                     .httpClient(UrlConnectionHttpClient.create()).build()) {
            assertThat(progress).anyMatch(l -> l.startsWith("[3/4]") && l.contains("watching " + LocalStackConfig.DEFINITION_FILE));

            Files.writeString(file, original.replaceFirst("\"Comment\": \"orderflow: ", "\"Comment\": \"orderflow (edited): "));
            var line = awaitLine(progress, "published version 1");

            assertThat(line).startsWith(LocalStackConfig.DEFINITION_FILE + " saved: published version 1 ("
                    + stack.stateMachineArn() + ":1)");
            var published = sfn.describeStateMachine(b -> b.stateMachineArn(stack.stateMachineArn() + ":1")).definition();
            assertThat(published).contains("orderflow (edited)")
                    .contains("arn:aws:lambda:us-east-1:000000000000:function:orderflow-local-").doesNotContain("${");
            assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(stack.stateMachineArn())).definition())
                    .isEqualTo(published);
        }
    }

    @Test
    void watchFalse_watchesNothing() throws Exception {
        var file = Files.createDirectories(root.resolve("statemachine")).resolve("order-workflow.asl.json");
        Files.writeString(file, Files.readString(RunningStack.ROOT.resolve(LocalStackConfig.DEFINITION_FILE)));
        var config = LocalStackConfig.resolve(List.of("--root=" + root, "--watch=false"), Map.of(), Map.of(), root)
                .withPorts(0, 0, 0).withStorage(root.resolve("data"), true);
        var progress = new CopyOnWriteArrayList<String>();

        try (var stack = LocalStack.start(config, progress::add, QUIET)) {
            assertThat(progress).noneMatch(l -> l.contains("watching"));
        }
    }

    private static String awaitLine(List<String> lines, String wanted) throws InterruptedException {
        var deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            var found = lines.stream().filter(l -> l.contains(wanted)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line with '" + wanted + "' within 20 s: " + lines);
    }
}
