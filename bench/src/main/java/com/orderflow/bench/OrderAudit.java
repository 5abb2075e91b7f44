package com.orderflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * After the load: is every accepted order final, with the status its payload leads to? Asks Step Functions first
 * (ListExecutions RUNNING: are they all done; DescribeExecution of every accepted order: the status of a FAILED
 * execution's order is FAILED, a SUCCEEDED one's is its output's {@code outcome.status}), then reads a bounded sample
 * of the orders back through {@code GET /orders/{id}}, which must say what the execution says.
 */
final class OrderAudit {

    static final int DESCRIBE_THREADS = 4;
    static final int API_CHECKS = 2_000;
    /** Wrong orders whose execution history is read for what failed. */
    static final int HISTORIES = 20;
    private static final Duration LIMIT = Duration.ofMinutes(10);
    /** How much of a failed execution's cause names its kind of failure (a longer one would make each its own kind). */
    private static final int CAUSE_CHARS = 60;

    /** An order a POST got a 202 for. */
    record Accepted(String orderId, String executionArn, PayloadMix.Payload payload, boolean sampled) {
    }

    /**
     * What the audit found. {@code runningAfterGrace}: executions RUNNING 5 s after the load stopped;
     * {@code secondsUntilNoneRunning}: from the load's stop until none was, NaN if that did not happen in time.
     */
    record Findings(int accepted, long runningAfterGrace, double secondsUntilNoneRunning, Map<String, Integer> statuses,
                    int notFound, int unfinished, int wrong, Map<String, Integer> wrongKinds, int apiChecked,
                    int apiDisagreed, Map<String, Integer> disagreements, Map<String, Integer> failureCauses,
                    Map<String, String> whereUnfinishedStopped) {

        int lost() {
            return notFound + unfinished;
        }

        boolean correct() {
            return lost() == 0 && wrong == 0 && apiDisagreed == 0;
        }
    }

    private OrderAudit() {
    }

    /** The state machine's ARN, from one of its executions' ARN. */
    static String stateMachineOf(String executionArn) {
        var name = executionArn.substring(0, executionArn.lastIndexOf(':'));
        return name.replace(":execution:", ":stateMachine:");
    }

    /** How many executions of the state machine are RUNNING now. */
    static long running(JsonOverHttp sfn, String stateMachineArn) {
        long running = 0;
        String next = null;
        do {
            var page = Json.mapper().createObjectNode().put("stateMachineArn", stateMachineArn)
                    .put("statusFilter", "RUNNING").put("maxResults", 1000);
            if (next != null) {
                page.put("nextToken", next);
            }
            var response = sfn.call("ListExecutions", page);
            running += response.path("executions").size();
            next = response.path("nextToken").isTextual() ? response.path("nextToken").asText() : null;
        } while (next != null);
        return running;
    }

    /** Polls until no execution is RUNNING or {@code limit} passes; seconds from {@code sinceNanos}, or NaN. */
    static double awaitNoneRunning(JsonOverHttp sfn, String stateMachineArn, long sinceNanos, Duration limit, PrintStream out)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long lastReport = System.nanoTime();
        for (long running; (running = running(sfn, stateMachineArn)) > 0; ) {
            if (System.nanoTime() > deadline) {
                out.printf("  %,d executions still RUNNING %.0f s after the load stopped; giving up waiting%n", running,
                        (System.nanoTime() - sinceNanos) / 1e9);
                return Double.NaN;
            }
            if (System.nanoTime() - lastReport > 10_000_000_000L) {
                out.printf("  %,d executions still RUNNING %.0f s after the load stopped%n", running, (System.nanoTime() - sinceNanos) / 1e9);
                lastReport = System.nanoTime();
            }
            Thread.sleep(250);
        }
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    /** Checks every accepted order's execution, then up to {@link #API_CHECKS} sampled orders through the API. */
    static Findings check(URI sfn, URI api, List<Accepted> orders, long runningAfterGrace, double secondsUntilNoneRunning)
            throws InterruptedException {
        var outcomes = new String[orders.size()];
        var errors = new String[orders.size()];
        inParallel(orders.size(), DESCRIBE_THREADS, () -> new JsonOverHttp(sfn),
                (connection, i) -> outcomes[i] = outcome(connection, orders.get(i).executionArn(), errors, i));
        var statuses = new TreeMap<String, Integer>();
        var wrongKinds = new TreeMap<String, Integer>();
        int notFound = 0;
        int unfinished = 0;
        int wrong = 0;
        var wrongArns = new ArrayList<String>();
        var unfinishedArns = new ArrayList<String>();
        for (int i = 0; i < outcomes.length; i++) {
            String got = outcomes[i] == null ? "UNCHECKED" : outcomes[i];
            statuses.merge(got, 1, Integer::sum);
            var payload = orders.get(i).payload();
            switch (got) {
                case "NOT_FOUND" -> notFound++;
                case "RUNNING", "UNCHECKED" -> {
                    unfinished++;
                    unfinishedArns.add(orders.get(i).executionArn());
                }
                default -> {
                    if (!got.equals(payload.expected())) {
                        wrong++;
                        wrongArns.add(orders.get(i).executionArn());
                        wrongKinds.merge(payload.file() + " -> " + got + (errors[i] == null ? "" : " (" + errors[i] + ")"), 1, Integer::sum);
                    }
                }
            }
        }

        var sampled = new ArrayList<Integer>();
        for (int i = 0; i < orders.size(); i++) {
            if (orders.get(i).sampled()) {
                sampled.add(i);
            }
        }
        int step = Math.max(1, (sampled.size() + API_CHECKS - 1) / API_CHECKS);
        var chosen = new ArrayList<Integer>();
        for (int i = 0; i < sampled.size(); i += step) {
            chosen.add(sampled.get(i));
        }
        var answers = new String[chosen.size()];
        inParallel(chosen.size(), 2, () -> new HttpConnection(api),
                (connection, i) -> answers[i] = apiStatus(connection, orders.get(chosen.get(i)).orderId()));
        var disagreements = new TreeMap<String, Integer>();
        int disagreed = 0;
        for (int i = 0; i < answers.length; i++) {
            String execution = outcomes[chosen.get(i)];
            if (answers[i] == null || !answers[i].equals(execution)) {
                disagreed++;
                disagreements.merge("execution " + execution + ", GET /orders/{id} " + answers[i], 1, Integer::sum);
            }
        }
        var causes = new TreeMap<String, Integer>();
        try (var connection = new JsonOverHttp(sfn)) {
            for (var arn : wrongArns.subList(0, Math.min(HISTORIES, wrongArns.size()))) {
                causes.merge(failures(connection, arn), 1, Integer::sum);
            }
        }
        var stopped = new TreeMap<String, String>();
        try (var connection = new JsonOverHttp(sfn)) {
            for (var arn : unfinishedArns.subList(0, Math.min(HISTORIES, unfinishedArns.size()))) {
                stopped.put(arn, lastEvents(connection, arn));
            }
        }
        return new Findings(orders.size(), runningAfterGrace, secondsUntilNoneRunning, statuses, notFound, unfinished, wrong,
                wrongKinds, chosen.size(), disagreed, disagreements, causes, stopped);
    }

    /**
     * The order status an execution stands for: its outcome when it succeeded, FAILED when it failed, else what it is;
     * a failed execution's error and the start of its cause go to {@code errors[index]}.
     */
    private static String outcome(JsonOverHttp sfn, String executionArn, String[] errors, int index) {
        var reply = sfn.send("DescribeExecution", Json.mapper().createObjectNode().put("executionArn", executionArn));
        if (reply.status() == 400 && reply.body().contains("ExecutionDoesNotExist")) {
            return "NOT_FOUND";
        }
        if (reply.status() != 200) {
            return "HTTP_" + reply.status();
        }
        JsonNode execution = JsonOverHttp.parse("DescribeExecution", reply.body());
        return switch (execution.path("status").asText()) {
            case "SUCCEEDED" -> JsonOverHttp.parse("DescribeExecution output", execution.path("output").asText("{}"))
                    .path("outcome").path("status").asText("SUCCEEDED_WITHOUT_OUTCOME");
            case "FAILED" -> {
                var cause = execution.path("cause").asText("");
                errors[index] = execution.path("error").asText("?") + (cause.isEmpty() ? "" : ": "
                        + cause.substring(0, Math.min(CAUSE_CHARS, cause.length())));
                yield "FAILED";
            }
            case "RUNNING" -> "RUNNING";
            default -> "EXECUTION_" + execution.path("status").asText();
        };
    }

    /** The distinct "state: error" of an execution's failure events (a Task's, a Lambda's, a timeout), in order. */
    private static String failures(JsonOverHttp sfn, String executionArn) {
        var seen = new java.util.LinkedHashSet<String>();
        String state = "?";
        String next = null;
        do {
            var page = Json.mapper().createObjectNode().put("executionArn", executionArn).put("maxResults", 1000);
            if (next != null) {
                page.put("nextToken", next);
            }
            var history = sfn.call("GetExecutionHistory", page);
            for (JsonNode event : history.path("events")) {
                String type = event.path("type").asText();
                JsonNode details = detailsOf(event);
                if (type.endsWith("StateEntered")) {
                    state = details.path("name").asText("?");
                } else if ((type.endsWith("Failed") || type.endsWith("TimedOut")) && !type.startsWith("Execution")) {
                    seen.add(state + ": " + details.path("error").asText(type));
                }
            }
            next = history.path("nextToken").isTextual() ? history.path("nextToken").asText() : null;
        } while (next != null);
        return seen.isEmpty() ? "no failure event" : String.join(", ", seen);
    }

    /** Where an execution that never ended stopped: its last recorded events, newest first. */
    private static String lastEvents(JsonOverHttp sfn, String executionArn) {
        var page = Json.mapper().createObjectNode().put("executionArn", executionArn).put("maxResults", 4)
                .put("reverseOrder", true);
        var reply = sfn.send("GetExecutionHistory", page);
        if (reply.status() != 200) {
            return "GetExecutionHistory answered " + reply.status();
        }
        var last = new ArrayList<String>();
        for (JsonNode event : JsonOverHttp.parse("GetExecutionHistory", reply.body()).path("events")) {
            String name = detailsOf(event).path("name").asText("");
            last.add("#" + event.path("id").asText() + " " + event.path("type").asText() + (name.isEmpty() ? "" : " " + name));
        }
        return String.join(" < ", last);
    }

    private static JsonNode detailsOf(JsonNode event) {
        for (var names = event.fieldNames(); names.hasNext(); ) {
            var name = names.next();
            if (name.endsWith("EventDetails")) {
                return event.path(name);
            }
        }
        return Json.mapper().createObjectNode();
    }

    private static String apiStatus(HttpConnection api, String orderId) {
        try {
            var reply = api.send("GET", "/orders/" + orderId, null);
            return reply.status() == 200 ? Json.mapper().readTree(reply.body()).path("status").asText() : "HTTP_" + reply.status();
        } catch (IOException e) {
            return e.getClass().getSimpleName();
        }
    }

    private interface Task<C> {
        void run(C connection, int index);
    }

    /** Runs {@code task} for indexes 0..count-1 on {@code threads} threads with a connection each, within {@link #LIMIT}. */
    private static <C extends AutoCloseable> void inParallel(int count, int threads, Supplier<C> connections,
                                                             Task<C> task) throws InterruptedException {
        var next = new AtomicInteger();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        try (var pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                pool.submit(() -> {
                    try (var connection = connections.get()) {
                        for (int i; (i = next.getAndIncrement()) < count && System.nanoTime() < deadline; ) {
                            try {
                                task.run(connection, i);
                            } catch (RuntimeException e) {
                                // left unanswered: the audit counts that order as unchecked, which fails the run
                            }
                        }
                    }
                    return null;
                });
            }
        }
    }
}
