package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the stack starts: one line per part, and a clear refusal when it cannot. */
class LocalStackStartupTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    Path dataDir;

    @Test
    void start_reportsOneProgressLinePerPart_andABannerWithTheUrlsAndASampleCurl() {
        var progress = new ArrayList<String>();
        try (var stack = LocalStack.start(RunningStack.config(dataDir, false), progress::add, QUIET)) {
            assertThat(progress).hasSize(4);
            assertThat(progress.get(0)).startsWith("[1/4] S3 ").contains("ready on " + stack.s3Endpoint())
                    .contains("persistent: " + dataDir.resolve("s3"));
            assertThat(progress.get(1)).startsWith("[2/4] Lambda functions ").contains("7 workflow handlers");
            assertThat(progress.get(2)).startsWith("[3/4] Step Functions ").contains("ready on " + stack.sfnEndpoint());
            assertThat(progress.get(3)).startsWith("[4/4] API Gateway ").contains("ready on " + stack.apiEndpoint());
            assertThat(stack.banner())
                    .contains(stack.apiEndpoint().toString(), stack.sfnEndpoint().toString(), stack.s3Endpoint().toString())
                    .contains("curl -s -X POST " + stack.apiEndpoint() + "/orders")
                    .contains("--data @test-payloads/order-completed.json");
        }
    }

    @Test
    void busyApiPort_isRefusedWithOneClearMessage_beforeAnythingStarts() throws Exception {
        try (var taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            var config = RunningStack.config(dataDir, true).withPorts(port, 0, 0);
            var progress = new ArrayList<String>();

            assertThatThrownBy(() -> LocalStack.start(config, progress::add, QUIET))
                    .isInstanceOf(StartupException.class)
                    .hasMessage("Port " + port + " is already in use (API). Free it or start with -Dorderflow.api.port="
                            + (port + 1) + " (or ORDERFLOW_API_PORT=" + (port + 1) + ").");
            assertThat(progress).isEmpty();
        }
    }

    @Test
    void busyS3Port_namesTheS3Setting() throws Exception {
        try (var taken = new ServerSocket(0)) {
            var config = RunningStack.config(dataDir, true).withPorts(0, 0, taken.getLocalPort());

            assertThatThrownBy(() -> LocalStack.start(config, line -> { }, QUIET))
                    .isInstanceOf(StartupException.class)
                    .hasMessageContaining("(S3)")
                    .hasMessageContaining("-Dorderflow.s3.port=");
        }
    }

    @Test
    void samePortForTwoParts_isRefused() {
        var config = RunningStack.config(dataDir, true).withPorts(47_123, 47_123, 0);

        assertThatThrownBy(() -> LocalStack.start(config, line -> { }, QUIET))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("Port 47123 is configured for both");
    }

    @Test
    void missingDefinitionFile_isRefusedNamingTheRootSetting() throws Exception {
        Path emptyRoot = Files.createDirectories(dataDir.resolve("not-a-checkout"));
        var config = LocalStackConfig.resolve(List.of("--root=" + emptyRoot, "--in-memory"), Map.of(), Map.of(), emptyRoot)
                .withPorts(0, 0, 0);

        assertThatThrownBy(() -> LocalStack.start(config, line -> { }, QUIET))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("Cannot find statemachine/order-workflow.asl.json")
                .hasMessageContaining("-Dorderflow.root=");
    }

    @Test
    void inMemoryMode_writesNothingToTheDataDirectory() throws Exception {
        try (var stack = LocalStack.start(RunningStack.config(dataDir, true), line -> { }, QUIET)) {
            assertThat(stack.banner()).contains("in memory");
        }
        try (var files = Files.list(dataDir)) {
            assertThat(files.toList()).isEmpty();
        }
    }
}
