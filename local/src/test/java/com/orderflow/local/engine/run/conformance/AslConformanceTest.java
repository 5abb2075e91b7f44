package com.orderflow.local.engine.run.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.orderflow.local.engine.EngineClock;
import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.sfn.StepFunctionsConfig;
import com.orderflow.local.sfn.StepFunctionsServer;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every case under {@code src/test/resources/conformance/<area>/} through the Step Functions API (the AWS SDK
 * against a local endpoint whose tasks are scripted per case), and compares the outcome with the result AWS documents
 * for the case.
 * Writes {@code target/conformance-report.md} listing every failing case and why.
 */
class AslConformanceTest {

    /** What the context object reports for every case run. */
    static final ExecutionIdentity IDENTITY = new ExecutionIdentity(
            "arn:aws:states:us-east-1:123456789012:execution:ConformanceMachine:conformance-run",
            "conformance-run",
            "arn:aws:states:us-east-1:123456789012:stateMachine:ConformanceMachine",
            "ConformanceMachine",
            "arn:aws:iam::123456789012:role/conformance-role",
            Instant.parse("2019-03-26T20:14:13.192Z"));

    private static final long COMPLETION_LIMIT_SECONDS = 60;
    private static final double TIME_FACTOR = 20.0;
    // plain mapper: keeps null-valued fields such as "ResultPath": null when the definition is re-serialized
    private static final ObjectMapper PLAIN = new ObjectMapper();
    // decimals stay exact, as the cases' expected outputs are read
    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final Map<String, String> FAILURES = new ConcurrentSkipListMap<>();
    private static final Map<String, Integer> CASES_PER_AREA = new ConcurrentHashMap<>();
    private static final String KNOWN_GAPS_FILE = "KNOWN_ENGINE_GAPS.txt";
    private static final Map<String, String> KNOWN_GAPS = knownGaps();

    @TestFactory
    Stream<DynamicNode> conformanceCases() throws IOException {
        var root = casesRoot();
        var byArea = new TreeMap<String, List<ConformanceCase>>();
        try (var files = Files.walk(root)) {
            for (var file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                var conformanceCase = ConformanceCase.load(root, file);
                byArea.computeIfAbsent(conformanceCase.area(), a -> new ArrayList<>()).add(conformanceCase);
            }
        }
        byArea.forEach((area, cases) -> CASES_PER_AREA.put(area, cases.size()));
        return byArea.entrySet().stream().map(area -> DynamicContainer.dynamicContainer(area.getKey(),
                area.getValue().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> runRecorded(c)))));
    }

    @Test
    void suite_hasAtLeastOneHundredCasesEachNamingItsSource() throws IOException {
        var root = casesRoot();
        try (var files = Files.walk(root)) {
            var cases = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(cases).hasSizeGreaterThanOrEqualTo(100);
            for (var file : cases) {
                var loaded = ConformanceCase.load(root, file);
                assertThat(loaded.area()).as("area folder of %s", file).isNotBlank();
                assertThat(loaded.source()).as("source of %s", file).hasSizeGreaterThan(20);
            }
        }
    }

    @AfterAll
    static void writeReport() throws IOException {
        var total = CASES_PER_AREA.values().stream().mapToInt(Integer::intValue).sum();
        if (total == 0) {
            return;
        }
        var report = new StringBuilder("# ASL conformance report\n\n");
        report.append("Cases: ").append(total).append(", passing: ").append(total - FAILURES.size())
                .append(", failing: ").append(FAILURES.size()).append("\n\n| area | cases | failing |\n|---|---|---|\n");
        new TreeMap<>(CASES_PER_AREA).forEach((area, count) -> report.append("| ").append(area).append(" | ")
                .append(count).append(" | ")
                .append(FAILURES.keySet().stream().filter(id -> id.startsWith(area + "/")).count()).append(" |\n"));
        report.append("\nCases marked [known engine gap] are listed in ").append(KNOWN_GAPS_FILE)
                .append(": they differ from AWS and do not fail the build until fixed.\n\n## Failing cases\n\n");
        FAILURES.forEach((id, why) -> report.append("### ").append(id).append("\n\n```\n")
                .append(why.length() > 2_000 ? why.substring(0, 2_000) + "\n..." : why).append("\n```\n\n"));
        var target = Paths.get("target");
        Files.createDirectories(target);
        Files.writeString(target.resolve("conformance-report.md"), report);
    }

    private static void runRecorded(ConformanceCase conformanceCase) throws Exception {
        var knownGap = KNOWN_GAPS.get(conformanceCase.id());
        try {
            run(conformanceCase);
        } catch (AssertionError | Exception t) {
            FAILURES.put(conformanceCase.id(), (knownGap != null ? "[known engine gap] " : "")
                    + String.valueOf(t.getMessage()).strip());
            if (knownGap == null) {
                throw t;
            }
            // a listed gap still differs from AWS: reported, not failed, until the engine is fixed
            return;
        }
        // "flaky:" gaps (races) may pass on some runs; the others must keep failing until fixed
        if (knownGap != null && !knownGap.startsWith("flaky:")) {
            throw new AssertionError(conformanceCase.id() + " now matches AWS; remove it from "
                    + KNOWN_GAPS_FILE + " (" + knownGap + ")");
        }
    }

    /**
     * Case ids the engine is known to get wrong (one per line: {@code <area>/<case> <reason>}); each
     * still runs, must still fail, and is listed in the report, so a fix or a regression is noticed.
     */
    private static Map<String, String> knownGaps() {
        try (var in = AslConformanceTest.class.getResourceAsStream("/conformance/" + KNOWN_GAPS_FILE)) {
            if (in == null) {
                return Map.of();
            }
            var gaps = new TreeMap<String, String>();
            for (var line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\\R")) {
                var trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                var space = trimmed.indexOf(' ');
                gaps.put(space < 0 ? trimmed : trimmed.substring(0, space), space < 0 ? "" : trimmed.substring(space + 1));
            }
            return gaps;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the case through the Step Functions API with the AWS SDK, on an endpoint of its own whose account, names,
     * role and start time are the context object's of the AWS example, and whose engine runs {@value #TIME_FACTOR}
     * times faster than wall-clock time so that Waits and retry intervals keep the suite fast.
     */
    private static void run(ConformanceCase c) throws Exception {
        var expected = c.expected();
        var definitionText = PLAIN.writeValueAsString(c.definition());
        var tasks = new ScriptedTaskInvoker(c.tasks());
        var config = StepFunctionsConfig.builder().port(0).region("us-east-1").accountId("123456789012")
                .taskInvoker(tasks).clock(Clock.fixed(IDENTITY.startTime(), ZoneOffset.UTC))
                .engineClock(EngineClock.accelerated(TIME_FACTOR)).build();
        try (var server = StepFunctionsServer.start(config); var sfn = client(server)) {
            String machineArn;
            try {
                machineArn = sfn.createStateMachine(b -> b.name(IDENTITY.stateMachineName()).definition(definitionText)
                        .roleArn(IDENTITY.roleArn())).stateMachineArn();
            } catch (InvalidDefinitionException e) {
                if (!expected.path("invalidDefinition").asBoolean(false)) {
                    fail("definition rejected but AWS accepts it: " + e.awsErrorDetails().errorMessage());
                }
                var contains = expected.path("messageContains").asText("");
                assertThat(e.awsErrorDetails().errorMessage()).as("InvalidDefinition message").contains(contains);
                return;
            }
            if (expected.path("invalidDefinition").asBoolean(false)) {
                fail("definition accepted but AWS rejects it with InvalidDefinition ("
                        + expected.path("messageContains").asText() + ")");
            }
            var started = sfn.startExecution(b -> b.stateMachineArn(machineArn).name(IDENTITY.name())
                    .input(c.input().toString()));
            var ended = awaitEnd(sfn, started.executionArn());
            assertOutcome(expected, ended);
            if (c.expectedTaskInputs() != null) {
                assertTaskInputs(c, tasks.inputs());
            }
            if (c.expectedEvents() != null) {
                var types = new ArrayList<String>();
                sfn.getExecutionHistoryPaginator(b -> b.executionArn(started.executionArn()))
                        .events().forEach(e -> types.add(e.typeAsString()));
                assertThat(types).as("history event types").containsExactlyElementsOf(c.expectedEvents());
            }
        }
    }

    private static void assertOutcome(JsonNode expected, DescribeExecutionResponse ended) throws IOException {
        var status = ended.statusAsString();
        var wanted = expected.path("status").asText();
        if (!List.of("SUCCEEDED", "FAILED", "TIMED_OUT").contains(wanted)) {
            throw new IllegalArgumentException("unknown expected.status " + wanted);
        }
        if (!wanted.equals(status)) {
            throw new AssertionError("expected " + wanted + " " + expected.path("error").asText("") + " but was "
                    + status + (ended.output() != null ? " with output " + ended.output() : " " + ended.error() + ": "
                    + ended.cause()));
        }
        if (wanted.equals("SUCCEEDED")) {
            assertOutput(expected, ended.output() == null ? null : READER.readTree(ended.output()));
        } else if (wanted.equals("FAILED") || expected.has("error")) {
            assertErrorAndCause(expected, ended.error(), ended.cause());
        }
    }

    private static DescribeExecutionResponse awaitEnd(SfnClient sfn, String executionArn) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(COMPLETION_LIMIT_SECONDS);
        while (true) {
            var described = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (described.status() != ExecutionStatus.RUNNING) {
                return described;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still RUNNING after " + COMPLETION_LIMIT_SECONDS + " s");
            }
            Thread.sleep(5);
        }
    }

    private static SfnClient client(StepFunctionsServer server) {
        return SfnClient.builder().endpointOverride(URI.create(server.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("conformance", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private static void assertErrorAndCause(JsonNode expected, String error, String cause) {
        if (expected.has("error") && expected.get("error").isNull()) {
            if (error != null && !error.isEmpty()) {
                throw new AssertionError("error: expected none but was <" + error + "> (cause <" + cause + ">)");
            }
        } else if (expected.has("error") && !expected.get("error").asText().equals(error)) {
            throw new AssertionError("error: expected <" + expected.path("error").asText() + "> but was <"
                    + error + "> (cause <" + cause + ">)");
        }
        if (expected.has("cause")) {
            var expectedCause = expected.get("cause").isNull() ? null : expected.get("cause").asText();
            if (!java.util.Objects.equals(expectedCause, cause)) {
                throw new AssertionError("cause: expected <" + expectedCause + "> but was <" + cause + ">");
            }
        }
        if (expected.has("causeContains")) {
            var part = expected.get("causeContains").asText();
            if (cause == null || !cause.contains(part)) {
                throw new AssertionError("cause: expected to contain <" + part + "> but was <" + cause + ">");
            }
        }
    }

    private static void assertOutput(JsonNode expected, JsonNode actualOutput) throws IOException {
        var actual = actualOutput == null ? null : actualOutput.deepCopy();
        if (expected.has("outputMatchers")) {
            for (var matcher : expected.get("outputMatchers").properties()) {
                var value = at(actual, matcher.getKey());
                var regex = matcher.getValue().asText();
                if (value == null || !value.isTextual() || !Pattern.matches(regex, value.asText())) {
                    throw new AssertionError("output" + matcher.getKey() + ": expected a string matching <"
                            + regex + "> but was <" + value + ">; whole output: " + actualOutput);
                }
                replaceWithExpected(actual, matcher.getKey(), expected.path("output"));
            }
        }
        if (expected.has("outputRanges")) {
            for (var range : expected.get("outputRanges").properties()) {
                var value = at(actual, range.getKey());
                var min = range.getValue().get(0).decimalValue();
                var max = range.getValue().get(1).decimalValue();
                if (value == null || !value.isIntegralNumber()
                        || value.decimalValue().compareTo(min) < 0 || value.decimalValue().compareTo(max) > 0) {
                    throw new AssertionError("output" + range.getKey() + ": expected an integer in [" + min + ", "
                            + max + "] but was <" + value + ">; whole output: " + actualOutput);
                }
                replaceWithExpected(actual, range.getKey(), expected.path("output"));
            }
        }
        if (expected.has("output")) {
            var wanted = expected.get("output");
            if (actual == null || !wanted.equals(NUMERIC_AWARE, actual)) {
                throw new AssertionError("output differs\nexpected: " + wanted + "\nactual:   " + actual);
            }
        }
    }

    private static JsonNode at(JsonNode root, String pointer) {
        if (root == null) {
            return null;
        }
        var node = root.at(pointer);
        return node.isMissingNode() ? null : node;
    }

    private static void replaceWithExpected(JsonNode actual, String pointer, JsonNode expectedOutput) {
        var slash = pointer.lastIndexOf('/');
        var parent = slash <= 0 ? actual : actual.at(pointer.substring(0, slash));
        var field = pointer.substring(slash + 1);
        var replacement = expectedOutput.at(pointer);
        if (parent instanceof ObjectNode object && !replacement.isMissingNode()) {
            object.set(field, replacement.deepCopy());
        } else if (parent instanceof com.fasterxml.jackson.databind.node.ArrayNode array && !replacement.isMissingNode()) {
            array.set(Integer.parseInt(field), replacement.deepCopy());
        }
    }

    private static void assertTaskInputs(ConformanceCase c, Map<String, List<JsonNode>> inputs) {
        for (var entry : c.expectedTaskInputs().properties()) {
            var received = inputs.getOrDefault(entry.getKey(), List.of());
            var wanted = new ArrayList<JsonNode>();
            entry.getValue().forEach(wanted::add);
            var matches = received.size() == wanted.size();
            if (matches && c.unorderedTaskInputs()) {
                var remaining = new ArrayList<>(received);
                for (var want : wanted) {
                    var hit = remaining.stream().filter(r -> r != null && want.equals(NUMERIC_AWARE, r)).findFirst();
                    if (hit.isEmpty()) {
                        matches = false;
                        break;
                    }
                    remaining.remove(hit.get());
                }
            } else if (matches) {
                for (int i = 0; i < wanted.size(); i++) {
                    if (received.get(i) == null || !wanted.get(i).equals(NUMERIC_AWARE, received.get(i))) {
                        matches = false;
                        break;
                    }
                }
            }
            if (!matches) {
                throw new AssertionError("task inputs for " + entry.getKey() + " differ\nexpected: " + wanted
                        + "\nactual:   " + received);
            }
        }
    }

    private static final Comparator<JsonNode> NUMERIC_AWARE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private static Path casesRoot() {
        var url = AslConformanceTest.class.getResource("/conformance");
        if (url == null) {
            throw new UncheckedIOException(new IOException("no conformance cases on the test class path"));
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
