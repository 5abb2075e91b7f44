package com.orderflow.local.sfn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Mocked task results in Step Functions Local's mock configuration format ({@code MockConfigFile.json}):
 * {@code StateMachines.<name>.TestCases.<case>.<state> -> <response name>} and
 * {@code MockedResponses.<name>.<"n" | "n-m"> -> {"Return": value} | {"Throw": {"Error", "Cause"}}}.
 * An execution started with {@code <stateMachineArn>#<case>} uses that test case.
 */
public final class MockConfig {

    private static final Pattern INDEX = Pattern.compile("^(\\d{1,6})(?:-(\\d{1,6}))?$");

    private final Map<String, Map<String, MockTestCase>> testCases;

    private MockConfig(Map<String, Map<String, MockTestCase>> testCases) {
        this.testCases = testCases;
    }

    public static MockConfig read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mock configuration " + file, e);
        }
    }

    /** Parses and checks a mock configuration; a mistake fails here, not in the middle of a test run. */
    public static MockConfig parse(String json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("mock configuration is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("mock configuration must be a JSON object");
        }
        var responses = new LinkedHashMap<String, MockedResponse>();
        object(root.path("MockedResponses"), "MockedResponses").properties()
                .forEach(e -> responses.put(e.getKey(), response(e.getKey(), e.getValue())));
        var machines = new LinkedHashMap<String, Map<String, MockTestCase>>();
        object(root.path("StateMachines"), "StateMachines").properties().forEach(machine -> {
            var cases = new LinkedHashMap<String, MockTestCase>();
            var where = "StateMachines." + machine.getKey();
            object(object(machine.getValue(), where).path("TestCases"), where + ".TestCases").properties()
                    .forEach(testCase -> {
                        var states = new LinkedHashMap<String, MockedResponse>();
                        var caseWhere = where + ".TestCases." + testCase.getKey();
                        object(testCase.getValue(), caseWhere).properties().forEach(state -> {
                            if (!state.getValue().isTextual()) {
                                throw new IllegalArgumentException(caseWhere + "." + state.getKey()
                                        + " must name a mocked response");
                            }
                            var response = responses.get(state.getValue().asText());
                            if (response == null) {
                                throw new IllegalArgumentException(caseWhere + "." + state.getKey()
                                        + " names an unknown mocked response '" + state.getValue().asText() + "'");
                            }
                            states.put(state.getKey(), response);
                        });
                        cases.put(testCase.getKey(), new MockTestCase(testCase.getKey(), Map.copyOf(states)));
                    });
            machines.put(machine.getKey(), Map.copyOf(cases));
        });
        return new MockConfig(Map.copyOf(machines));
    }

    /** How many test cases the configuration defines, over all state machines. */
    public int testCaseCount() {
        return testCases.values().stream().mapToInt(Map::size).sum();
    }

    /** The test case of this state machine, if the configuration defines it. */
    public Optional<MockTestCase> testCase(String stateMachineName, String testCaseName) {
        return Optional.ofNullable(testCases.getOrDefault(stateMachineName, Map.of()).get(testCaseName));
    }

    /** Whether some test case of this state machine mocks the state of this name. */
    public boolean mocksState(String stateMachineName, String stateName) {
        return testCases.getOrDefault(stateMachineName, Map.of()).values().stream()
                .anyMatch(testCase -> testCase.byState().containsKey(stateName));
    }

    private static MockedResponse response(String name, JsonNode node) {
        var where = "MockedResponses." + name;
        var ranges = new ArrayList<MockedResponse.Range>();
        object(node, where).properties().forEach(e -> {
            var m = INDEX.matcher(e.getKey());
            if (!m.matches()) {
                throw new IllegalArgumentException(where + ": '" + e.getKey()
                        + "' is not an invocation index (\"0\") or range (\"1-2\")");
            }
            int from = Integer.parseInt(m.group(1));
            int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
            if (to < from) {
                throw new IllegalArgumentException(where + ": range '" + e.getKey() + "' ends before it starts");
            }
            ranges.add(new MockedResponse.Range(from, to, outcome(where + "." + e.getKey(), e.getValue())));
        });
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException(where + " defines no response");
        }
        ranges.sort(Comparator.comparingInt(MockedResponse.Range::from));
        int next = 0;
        for (var range : ranges) {
            if (range.from() != next) {
                throw new IllegalArgumentException(where + ": invocation " + next
                        + (range.from() < next ? " is defined twice" : " has no response"));
            }
            next = range.to() + 1;
        }
        return new MockedResponse(name, List.copyOf(ranges));
    }

    private static MockedOutcome outcome(String where, JsonNode node) {
        object(node, where);
        boolean returns = node.has("Return");
        boolean throwz = node.has("Throw");
        if (returns == throwz || node.size() != 1) {
            throw new IllegalArgumentException(where + " must hold exactly one of Return or Throw");
        }
        if (returns) {
            return new MockedOutcome.Return(node.get("Return"));
        }
        var t = object(node.get("Throw"), where + ".Throw");
        if (!t.path("Error").isTextual() || (t.has("Cause") && !t.get("Cause").isTextual())) {
            throw new IllegalArgumentException(where + ".Throw needs a string Error and an optional string Cause");
        }
        return new MockedOutcome.Throw(t.get("Error").asText(), t.has("Cause") ? t.get("Cause").asText() : "");
    }

    private static JsonNode object(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be a JSON object");
        }
        return node;
    }

    /** The mocked states of one test case, by state name. */
    public record MockTestCase(String name, Map<String, MockedResponse> byState) {
    }

    /** A named sequence of mocked outcomes, chosen by the zero-based invocation count of the state. */
    public record MockedResponse(String name, List<Range> ranges) {

        /**
         * The outcome of the given invocation (retries count); past the last index the last
         * outcome repeats, so a state inside a loop keeps getting its final answer.
         */
        public MockedOutcome at(int invocation) {
            for (var range : ranges) {
                if (invocation >= range.from() && invocation <= range.to()) {
                    return range.outcome();
                }
            }
            return ranges.getLast().outcome();
        }

        /** Invocations {@code from..to} (inclusive) get {@code outcome}. */
        public record Range(int from, int to, MockedOutcome outcome) {
        }
    }

    /** What a mocked invocation does. */
    public sealed interface MockedOutcome {

        /** The task returns this value as its result. */
        record Return(JsonNode value) implements MockedOutcome {
        }

        /** The task fails with this error and cause. */
        record Throw(String error, String cause) implements MockedOutcome {
        }
    }
}
