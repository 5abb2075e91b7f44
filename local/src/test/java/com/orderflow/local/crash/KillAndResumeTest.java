package com.orderflow.local.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The engine in a child JVM is killed with SIGKILL while executions sit in a Task, a Wait, a Parallel
 * branch, a Map iteration and a retry backoff; started again on the same store, each ends as an
 * uninterrupted run of the same input does.
 */
class KillAndResumeTest {

    private static final String ROLE = "arn:aws:iam::000000000000:role/r";
    private static final String FN = "arn:aws:lambda:us-east-1:000000000000:function:";

    /** name -> definition; every one has a place where it spends seconds. */
    private static final Map<String, String> MACHINES = new LinkedHashMap<>();

    static {
        MACHINES.put("task", """
                {"StartAt":"Before","States":{"Before":{"Type":"Pass","Result":{"ms":5000},"Next":"Slow"},
                 "Slow":{"Type":"Task","Resource":"%ssleep:live","TimeoutSeconds":30,"ResultPath":"$.slow","Next":"After"},
                 "After":{"Type":"Pass","Parameters":{"slept.$":"$.slow.slept"},"End":true}}}""".formatted(FN));
        MACHINES.put("wait", """
                {"StartAt":"Before","States":{"Before":{"Type":"Pass","Next":"Nap"},
                 "Nap":{"Type":"Wait","Seconds":6,"Next":"After"},
                 "After":{"Type":"Pass","Result":"woke","ResultPath":"$.state","End":true}}}""");
        MACHINES.put("parallel", """
                {"StartAt":"Fork","States":{"Fork":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"SlowBranch","States":{"SlowBranch":{"Type":"Task","Resource":"%ssleep:live",
                    "Parameters":{"ms":5000},"End":true}}},
                  {"StartAt":"QuickBranch","States":{"QuickBranch":{"Type":"Pass","Result":{"quick":true},"End":true}}}]}}}"""
                .formatted(FN));
        MACHINES.put("map", """
                {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,"End":true,
                  "ItemSelector":{"item.$":"$$.Map.Item.Value.n","ms.$":"$$.Map.Item.Value.ms"},
                  "ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"%ssleep:live","End":true}}}}}}"""
                .formatted(FN));
        MACHINES.put("retry", """
                {"StartAt":"Try","States":{"Try":{"Type":"Task","Resource":"%sflaky:live","End":true,
                  "Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":3,"MaxAttempts":3,"BackoffRate":1.0}]}}}"""
                .formatted(FN));
    }

    private static final Map<String, String> INPUTS = Map.of(
            "task", "{}", "wait", "{}", "parallel", "{}", "retry", "{}",
            "map", "{\"items\":[{\"n\":1,\"ms\":300},{\"n\":2,\"ms\":5000},{\"n\":3,\"ms\":100}]}");

    /** Where each execution must be when the kill comes. */
    private static final Map<String, Predicate<List<HistoryEvent>>> AT = Map.of(
            "task", h -> last(h).equals("LambdaFunctionStarted"),
            "wait", h -> last(h).equals("WaitStateEntered"),
            "parallel", h -> h.stream().anyMatch(e -> e.typeAsString().equals("LambdaFunctionStarted"))
                    && h.stream().anyMatch(e -> e.typeAsString().equals("PassStateExited")),
            "map", h -> h.stream().filter(e -> e.typeAsString().equals("MapIterationSucceeded")).count() == 1
                    && last(h).equals("LambdaFunctionStarted"),
            "retry", h -> last(h).equals("LambdaFunctionFailed"));

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void sigkillDuringTaskWaitParallelMapAndBackoff_resumesToTheUninterruptedOutcome() throws Exception {
        // given executions of five workflows, each inside its slow part
        int port = startChild();
        Map<String, String> arns = new LinkedHashMap<>();
        Map<String, Instant> waitEntered = new LinkedHashMap<>();
        try (var sfn = client(port)) {
            for (var m : MACHINES.entrySet()) {
                String sm = sfn.createStateMachine(b -> b.name(m.getKey()).definition(m.getValue()).roleArn(ROLE))
                        .stateMachineArn();
                arns.put(m.getKey(), sfn.startExecution(b -> b.stateMachineArn(sm).name("crashed")
                        .input(INPUTS.get(m.getKey()))).executionArn());
            }
            awaitAll(sfn, arns, Duration.ofSeconds(20));
            waitEntered.put("wait", history(sfn, arns.get("wait")).stream()
                    .filter(e -> e.typeAsString().equals("WaitStateEntered")).findFirst().orElseThrow().timestamp());
        }

        // when the process is killed outright and started again on the same store
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(child.exitValue()).isEqualTo(137);
        port = startChild();

        try (var sfn = client(port)) {
            // then every execution ends as an uninterrupted run of the same input does
            for (var m : MACHINES.keySet()) {
                String sm = sfn.listStateMachines().stateMachines().stream().filter(s -> s.name().equals(m))
                        .findFirst().orElseThrow().stateMachineArn();
                String control = sfn.startExecution(b -> b.stateMachineArn(sm).name("control").input(INPUTS.get(m)))
                        .executionArn();
                var crashed = finished(sfn, arns.get(m));
                var uninterrupted = finished(sfn, control);
                assertThat(crashed.status).as(m).isEqualTo("SUCCEEDED");
                assertThat(crashed.output).as(m + " output").isEqualTo(uninterrupted.output);
                assertThat(states(crashed.history)).as(m + " states").isEqualTo(states(uninterrupted.history));
                assertThat(count(crashed.history, "LambdaFunctionFailed")).as(m + " failed attempts")
                        .isEqualTo(count(uninterrupted.history, "LambdaFunctionFailed"));
                assertThat(count(crashed.history, "ExecutionStarted")).isEqualTo(1);
                for (int i = 0; i < crashed.history.size(); i++) {
                    assertThat(crashed.history.get(i).id()).as(m + " event ids").isEqualTo(i + 1L);
                }
            }
            // and DescribeExecution says, locally, where the restart came in: before the first event recorded after it
            var crashedWait = finished(sfn, arns.get("wait")).history;
            var described = com.orderflow.json.Json.mapper().readTree(java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                            .header("X-Amz-Target", "AWSStepFunctions.DescribeExecution")
                            .header("Content-Type", "application/x-amz-json-1.0")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                                    "{\"executionArn\":\"" + arns.get("wait") + "\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body());
            long before = described.path("localRestarts").path(0).path("beforeEventId").asLong();
            assertThat(crashedWait.stream().filter(e -> e.typeAsString().equals("WaitStateEntered")).findFirst()
                    .orElseThrow().id()).isLessThan(before);
            assertThat(crashedWait.get((int) before - 1).typeAsString()).isEqualTo("WaitStateExited");

            // and the Wait kept its deadline: it ended 6 s after it was entered, not 6 s after the restart
            var wait = finished(sfn, arns.get("wait")).history.stream()
                    .filter(e -> e.typeAsString().equals("WaitStateExited")).findFirst().orElseThrow();
            assertThat(Duration.between(waitEntered.get("wait"), wait.timestamp()))
                    .isBetween(Duration.ofMillis(5_900), Duration.ofMillis(7_500));
        }
    }

    private record Finished(String status, String output, List<HistoryEvent> history) {
    }

    private static Finished finished(SfnClient sfn, String arn) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var d = sfn.describeExecution(b -> b.executionArn(arn));
            if (!d.statusAsString().equals("RUNNING")) {
                return new Finished(d.statusAsString(), d.output(), history(sfn, arn));
            }
            Thread.sleep(100);
        }
        throw new AssertionError(arn + " did not finish; history " + history(sfn, arn));
    }

    private static void awaitAll(SfnClient sfn, Map<String, String> arns, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        var missing = new ArrayList<String>();
        while (System.nanoTime() < deadline) {
            missing.clear();
            for (var e : arns.entrySet()) {
                if (!AT.get(e.getKey()).test(history(sfn, e.getValue()))) {
                    missing.add(e.getKey());
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            Thread.sleep(20);
        }
        var seen = new java.util.LinkedHashMap<String, List<String>>();
        arns.forEach((k, arn) -> seen.put(k, history(sfn, arn).stream().map(HistoryEvent::typeAsString).toList()));
        throw new AssertionError("never all in their slow part at once; not there: " + missing + "; histories " + seen);
    }

    private static List<HistoryEvent> history(SfnClient sfn, String arn) {
        return sfn.getExecutionHistory(b -> b.executionArn(arn).maxResults(1000)).events();
    }

    private static String last(List<HistoryEvent> history) {
        return history.isEmpty() ? "" : history.getLast().typeAsString();
    }

    private static long count(List<HistoryEvent> history, String type) {
        return history.stream().filter(e -> e.typeAsString().equals(type)).count();
    }

    /** Entries and exits by state name, sorted: branches and iterations interleave freely. */
    private static List<String> states(List<HistoryEvent> history) {
        var states = new ArrayList<String>();
        for (var e : history) {
            if (e.stateEnteredEventDetails() != null) {
                states.add("entered " + e.stateEnteredEventDetails().name());
            } else if (e.stateExitedEventDetails() != null) {
                states.add("exited " + e.stateExitedEventDetails().name());
            }
        }
        return states.stream().sorted().toList();
    }

    private int startChild() throws Exception {
        var engine = ChildEngine.start(dir.resolve("store"), dir);
        child = engine.process();
        return engine.port();
    }

    private static SfnClient client(int port) {
        return new ChildEngine(null, port, null).client(true);
    }

}
