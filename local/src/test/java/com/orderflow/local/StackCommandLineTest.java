package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack's command line as {@code mvn -Plocal} runs it: its own JVM, its own output. */
class StackCommandLineTest {

    @TempDir
    Path scratch;

    @Test
    void help_listsEverySettingWithItsThreeNamesAndDefault_andStartsNothing() throws Exception {
        var process = stack(List.of("--help"), List.of());
        List<String> lines = readAll(process);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        String help = String.join("\n", lines);
        for (Setting setting : Setting.values()) {
            assertThat(help).contains(setting.option(), "-D" + setting.property(), setting.environmentVariable(),
                    "default: " + setting.defaultValue());
        }
        assertThat(help).doesNotContain("ready on");
    }

    @Test
    void start_namesTheSettingsNotAtTheirDefault_andTheMockConfigurationItLoaded() throws Exception {
        Path mocks = RunningStack.ROOT.resolve("events/mock-config.json");
        var process = stack(List.of("--in-memory", "--api-port=0", "--sfn-port=0", "--s3-port=0", "--quiet"),
                List.of("SFN_MOCK_CONFIG=" + mocks));
        var lines = new ArrayList<String>();
        try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
                if (line.contains("orderflow local stack is ready")) {
                    break;
                }
            }
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(lines).as(String.join("\n", lines)).contains("Settings not at their default: --api-port=0, "
                + "--sfn-port=0, --s3-port=0, --in-memory, SFN_MOCK_CONFIG=" + mocks + ", --quiet, --root=" + RunningStack.ROOT);
        assertThat(lines).anyMatch(line -> line.equals("      mock configuration events/mock-config.json: 2 test cases"
                + " (start an execution as <stateMachineArn>#<test case> to use one)"));
    }

    @Test
    void aMockConfigurationThatCannotBeRead_stopsTheStartWithOneLineNamingIt() throws Exception {
        Path mocks = Files.writeString(scratch.resolve("mocks.json"), "{\"StateMachines\": [], \"MockedResponses\": {}}");
        var process = stack(List.of("--in-memory", "--api-port=0", "--sfn-port=0", "--s3-port=0",
                "--mock-config=" + mocks), List.of());
        String output = String.join("\n", readAll(process));
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(output).contains("The mock configuration " + mocks + " cannot be used: StateMachines must be a JSON object")
                .doesNotContain("[1/4]");
    }

    private Process stack(List<String> args, List<String> environment) throws IOException {
        var command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LocalStack.class.getName(), "--root=" + RunningStack.ROOT));
        command.addAll(args);
        var builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("ORDERFLOW_") || name.equals("SFN_MOCK_CONFIG"));
        environment.forEach(pair -> builder.environment().put(pair.substring(0, pair.indexOf('=')),
                pair.substring(pair.indexOf('=') + 1)));
        return builder.start();
    }

    private static List<String> readAll(Process process) throws IOException {
        try (var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            return out.lines().toList();
        }
    }
}
