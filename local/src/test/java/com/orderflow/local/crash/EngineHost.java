package com.orderflow.local.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.sfn.StepFunctionsConfig;
import com.orderflow.local.sfn.StepFunctionsServer;
import com.orderflow.local.store.EventLog;
import com.orderflow.local.store.WorkflowStore;
import java.nio.file.Path;

/**
 * A child JVM for the kill tests: the Step Functions endpoint on a durable store in {@code args[0]} (segments of
 * {@code args[1]} bytes, if given),
 * with tasks whose timing the tests control. Prints {@code READY <port>} once it serves, resumes what
 * the store left running, and runs until it is killed.
 */
public final class EngineHost {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EngineHost() {
    }

    /**
     * {@code sleep}: waits {@code $.ms} and echoes; {@code flaky}: fails with Flaky until its third attempt;
     * {@code lambda:invoke} (a callback's notification) answers at once.
     * {@code afterRedrive}: fails with NotYet unless {@code $.redrives} (the context's RedriveCount) is positive, then
     * sleeps like {@code sleep}.
     */
    static final TaskInvoker TASKS = (resource, input, context) -> {
        if (resource.equals("arn:aws:states:::lambda:invoke")) {
            // a callback's notification: the test reads the token from the TaskScheduled event
            return MAPPER.createObjectNode().put("StatusCode", 200).set("Payload",
                    MAPPER.createObjectNode().put("queued", input.path("FunctionName").asText()));
        }
        String function = resource.substring(resource.lastIndexOf("function:") + 9).split(":")[0];
        switch (function) {
            case "sleep" -> {
                try {
                    Thread.sleep(input.path("ms").asLong());
                } catch (InterruptedException e) {
                    throw new TaskFailedException("States.Runtime", "interrupted");
                }
                return MAPPER.createObjectNode().put("slept", input.path("ms").asLong()).set("item", input.path("item"));
            }
            case "afterRedrive" -> {
                if (input.path("redrives").asInt() == 0) {
                    throw new TaskFailedException("NotYet", "runs only once redriven");
                }
                try {
                    Thread.sleep(input.path("ms").asLong());
                } catch (InterruptedException e) {
                    throw new TaskFailedException("States.Runtime", "interrupted");
                }
                return MAPPER.createObjectNode().put("slept", input.path("ms").asLong());
            }
            case "flaky" -> {
                if (context.retryCount() < 2) {
                    throw new TaskFailedException("Flaky", "attempt " + context.retryCount() + " fails");
                }
                return MAPPER.createObjectNode().put("attempt", context.retryCount());
            }
            default -> throw new TaskFailedException("States.Runtime", "no task " + function);
        }
    };

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long segmentBytes = args.length > 1 ? Long.parseLong(args[1]) : 64L << 20;
        var store = WorkflowStore.open(dir, new EventLog.Options(segmentBytes, 64L << 20,
                java.time.Duration.ofMillis(100), System.err::println));
        var server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).taskInvoker(TASKS).store(store).build());
        var resumed = server.api().resumeAll();
        System.out.println("READY " + server.port() + " resumed=" + resumed.resumed() + " failed=" + resumed.failed());
        System.out.flush();
        Thread.currentThread().join();
    }

    static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }
}
