package com.orderflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The local Step Functions engine through its JSON API: the local stack as its own JVM (persistent, a fresh data
 * directory under {@code bench/target/}), {@link EngineBenchmark#DEFINITION} created with CreateStateMachine, then
 * 4 client threads, each on a keep-alive connection of its own ({@link JsonOverHttp}), calling StartExecution
 * over loopback until N have started, and ListExecutions polled until none is RUNNING. The figure is executions per CPU-second of the stack's JVM alone (utime + stime
 * from {@code /proc/<pid>/stat}), so the clients' CPU is not counted; every execution must end SUCCEEDED.
 */
final class SfnApiBenchmark {

    static final int CLIENTS = 4;
    static final String INPUT = "{\"id\":\"abc\",\"n\":3}";
    /** What the workflow makes of {@link #INPUT}: Merge keeps id and the left branch's side, Tag adds status. */
    static final String OUTPUT = "{\"id\":\"abc\",\"left\":\"left\",\"status\":\"done\"}";
    /** Each phase (warm-up starts, measured starts, waiting for the last to end) gives up after this. */
    private static final Duration PHASE_LIMIT = Duration.ofSeconds(90);

    /**
     * The measured run: executions, CPU-seconds of the stack's JVM (and of that its system time, NaN where unknown),
     * wall-seconds, the final statuses of all, warm-up included, and how many measured starts were refused with
     * ThrottlingException and sent again.
     */
    record Figures(int executions, int warmUp, double stackCpuSeconds, double stackSystemSeconds, double wallSeconds,
                   Map<String, Integer> statuses, int throttled) {
        double perCpuSecond() {
            return executions / stackCpuSeconds;
        }

        double perWallSecond() {
            return executions / wallSeconds;
        }
    }

    private SfnApiBenchmark() {
    }

    static Figures run(Path root, int executions) throws IOException, InterruptedException {
        Path work = root.resolve("bench/target/sfn-api-bench");
        Path data = work.resolve("data");
        Path log = work.resolve("stack.log");
        LoadTest.deleteRecursively(data);
        Files.createDirectories(work);
        Files.deleteIfExists(log);
        // as many as measured, for the stack and the npm peer alike: both JIT-compile, and a short warm-up leaves the
        // stack's C2 compiler busy in the measured run (a quarter of its CPU at a fifth)
        int warmUp = Math.max(CLIENTS, executions);
        Figures figures;
        try (var stack = StackProcess.start(root, data, StackProcess.Ports.free(), false, log);
             var api = new JsonOverHttp(stack.sfn())) {
            var create = Json.mapper().createObjectNode()
                    .put("name", "bench-pass-parallel")
                    .put("definition", EngineBenchmark.DEFINITION)
                    .put("roleArn", "arn:aws:iam::000000000000:role/bench")
                    .put("type", "STANDARD");
            String stateMachine = api.call("CreateStateMachine", create).path("stateMachineArn").asText();

            startAll(stack.sfn(), stateMachine, "warm-up-", warmUp, new AtomicInteger()); // class loading and JIT, not measured
            awaitNoneRunning(api, stateMachine);

            var cpu0 = CpuTime.of(stack.pid());
            long wall0 = System.nanoTime();
            var throttled = new AtomicInteger();
            String lastArn = startAll(stack.sfn(), stateMachine, "run-", executions, throttled);
            awaitNoneRunning(api, stateMachine);
            long wall = System.nanoTime() - wall0;
            var cpu = CpuTime.of(stack.pid()).minus(cpu0);

            var statuses = statuses(api, stateMachine);
            if (!statuses.equals(Map.of("SUCCEEDED", warmUp + executions))) {
                throw new IllegalStateException("Step Functions API benchmark: expected " + (warmUp + executions)
                        + " SUCCEEDED executions, found " + statuses + "; see " + log);
            }
            var last = api.call("DescribeExecution", Json.mapper().createObjectNode().put("executionArn", lastArn));
            if (!Json.mapper().readTree(last.path("output").asText()).equals(Json.mapper().readTree(OUTPUT))) {
                throw new IllegalStateException("Step Functions API benchmark: unexpected output " + last);
            }
            figures = new Figures(executions, warmUp, cpu.totalNanos() / 1e9, cpu.systemNanos() / 1e9, wall / 1e9, statuses,
                    throttled.get());
        }
        LoadTest.deleteRecursively(data); // thousands of stored executions; the log stays for a look
        return figures;
    }

    /**
     * {@code count} StartExecutions named {@code prefix + i} from {@link #CLIENTS} threads. A ThrottlingException is
     * sent again after a short backoff, as the AWS SDK's retry strategy does (counted in {@code throttled}); any other
     * refusal fails the run. Returns the ARN of the last one.
     */
    private static String startAll(URI endpoint, String stateMachine, String prefix, int count, AtomicInteger throttled)
            throws InterruptedException {
        var next = new AtomicInteger();
        var lastArn = new AtomicReference<String>();
        long deadline = System.nanoTime() + PHASE_LIMIT.toNanos();
        var clients = new ArrayList<Future<?>>();
        try (var pool = Executors.newFixedThreadPool(CLIENTS)) {
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    try (var api = new JsonOverHttp(endpoint)) {
                        for (int i; (i = next.getAndIncrement()) < count; ) {
                            if (System.nanoTime() > deadline) {
                                throw new IllegalStateException("StartExecution: " + i + " of " + count
                                        + " started after " + PHASE_LIMIT.toSeconds() + " s");
                            }
                            var body = Json.mapper().createObjectNode()
                                    .put("stateMachineArn", stateMachine).put("name", prefix + i).put("input", INPUT);
                            var arn = startRetryingThrottles(api, body, throttled).path("executionArn");
                            if (!arn.isTextual()) {
                                throw new IllegalStateException("StartExecution answered without an executionArn");
                            }
                            if (i == count - 1) {
                                lastArn.set(arn.asText());
                            }
                        }
                    }
                    return null;
                }));
            }
        }
        for (var client : clients) {
            try {
                client.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("Step Functions API benchmark: " + e.getCause().getMessage(), e.getCause());
            }
        }
        return lastArn.get();
    }

    /** StartExecution, again after 1, 2, 4 … (at most 50) ms while the answer is a ThrottlingException. */
    private static JsonNode startRetryingThrottles(JsonOverHttp api, ObjectNode body, AtomicInteger throttled)
            throws InterruptedException {
        for (long backoff = 1; ; backoff = Math.min(50, backoff * 2)) {
            var reply = api.send("StartExecution", body);
            if (reply.status() != 400 || !reply.body().contains("\"ThrottlingException\"")) {
                if (reply.status() != 200) {
                    throw new IllegalStateException("StartExecution answered " + reply.status() + ": " + reply.body());
                }
                return JsonOverHttp.parse("StartExecution", reply.body());
            }
            throttled.incrementAndGet();
            Thread.sleep(backoff);
        }
    }

    private static void awaitNoneRunning(JsonOverHttp api, String stateMachine) throws InterruptedException {
        long deadline = System.nanoTime() + PHASE_LIMIT.toNanos();
        var running = Json.mapper().createObjectNode()
                .put("stateMachineArn", stateMachine).put("statusFilter", "RUNNING").put("maxResults", 1);
        while (!api.call("ListExecutions", running).path("executions").isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Step Functions API benchmark: executions still RUNNING after "
                        + PHASE_LIMIT.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    /** Every execution of the state machine counted by status, paging through ListExecutions. */
    private static Map<String, Integer> statuses(JsonOverHttp api, String stateMachine) {
        var statuses = new TreeMap<String, Integer>();
        String next = null;
        do {
            var page = Json.mapper().createObjectNode().put("stateMachineArn", stateMachine).put("maxResults", 1000);
            if (next != null) {
                page.put("nextToken", next);
            }
            var response = api.call("ListExecutions", page);
            response.path("executions").forEach(e -> statuses.merge(e.path("status").asText(), 1, Integer::sum));
            next = response.path("nextToken").isTextual() ? response.path("nextToken").asText() : null;
        } while (next != null);
        return statuses;
    }

    /**
     * CPU time of a process so far, all threads: user and system from {@code /proc/<pid>/stat} in clock ticks; where
     * there is no {@code /proc}, the total from {@link ProcessHandle.Info#totalCpuDuration()} and system time NaN.
     */
    record CpuTime(long totalNanos, double systemNanos) {
        static CpuTime of(long pid) {
            Path stat = Path.of("/proc", Long.toString(pid), "stat");
            if (Files.isReadable(stat)) {
                try {
                    String text = Files.readString(stat);
                    // the command name in parentheses may hold spaces; the fields after it start with state (field 3)
                    String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
                    long user = Long.parseLong(fields[14 - 3]) * 1_000_000_000L / ClockTicks.PER_SECOND;
                    long system = Long.parseLong(fields[15 - 3]) * 1_000_000_000L / ClockTicks.PER_SECOND;
                    return new CpuTime(user + system, system);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration())
                    .map(d -> new CpuTime(d.toNanos(), Double.NaN))
                    .orElseThrow(() -> new IllegalStateException("no CPU time for process " + pid));
        }

        CpuTime minus(CpuTime earlier) {
            return new CpuTime(totalNanos - earlier.totalNanos, systemNanos - earlier.systemNanos);
        }
    }

    /** {@code getconf CLK_TCK}, asked once. */
    private static final class ClockTicks {
        static final long PER_SECOND = ask();

        private static long ask() {
            try {
                var getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(getconf.getInputStream().readAllBytes()).trim();
                if (getconf.waitFor(10, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
                    return Long.parseLong(out);
                }
            } catch (IOException | NumberFormatException e) {
                // fall through to Linux's fixed user-space value
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 100;
        }
    }
}
