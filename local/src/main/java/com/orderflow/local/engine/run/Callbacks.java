package com.orderflow.local.engine.run;

import com.orderflow.local.engine.TaskToken;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The Task states waiting for a worker's answer, by task token ({@code .waitForTaskToken} integrations and
 * activities), and the activity tasks no worker has taken yet: what SendTaskSuccess, SendTaskFailure,
 * SendTaskHeartbeat and GetActivityTask reach. A waiting task holds a parked virtual thread, no platform thread.
 */
public final class Callbacks {

    /** How long an answer waits to be recorded, and for a resumed execution to reach its task again. */
    private static final Duration RECORDING = Duration.ofSeconds(10);

    /** The suffix of a Resource that hands out a task token and waits for it to come back. */
    public static final String WAIT_FOR_TASK_TOKEN = ".waitForTaskToken";

    /** What became of an answer. */
    public enum Delivery {
        /** The waiting task took it (and, once the task was submitted, recorded its end). */
        DELIVERED,
        /** No task waits on the token (any more): it ended, timed out, or never was. */
        NOT_WAITING
    }

    /** An activity task as GetActivityTask hands it to a worker. */
    public record ActivityTask(String taskToken, String input) {
    }

    private final ConcurrentHashMap<String, TaskWait> waiting = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ArrayDeque<TaskWait>> activities = new ConcurrentHashMap<>();
    private final Predicate<String> resuming;

    /** {@code resuming} tells whether an execution still replays its history after a restart. */
    Callbacks(Predicate<String> resuming) {
        this.resuming = resuming;
    }

    /**
     * The Resource a Task state invokes through the task invoker: the service integration of a
     * {@code .waitForTaskToken} resource, none for an activity (the engine queues it for GetActivityTask itself), the
     * resource itself otherwise.
     */
    public static Optional<String> invokedResource(String resource) {
        if (TaskResource.isActivity(resource)) {
            return Optional.empty();
        }
        return Optional.of(resource.endsWith(WAIT_FOR_TASK_TOKEN)
                ? resource.substring(0, resource.length() - WAIT_FOR_TASK_TOKEN.length()) : resource);
    }

    /** Whether this Resource names an activity, whose workers take its tasks with GetActivityTask. */
    public static boolean isActivity(String resource) {
        return TaskResource.isActivity(resource);
    }

    /** Whether a Task with this Resource hands out a task token and waits for a worker's answer. */
    public static boolean waitsForWorker(String resource) {
        return CallbackStep.handles(resource);
    }

    /** SendTaskSuccess: the task ends with this output (JSON text that parses to {@code output}). */
    public Delivery succeed(String token, JsonNode output, String outputText) {
        return answer(token, new TaskWait.Answer(output, outputText, null, null));
    }

    /** SendTaskFailure: the task fails with this error and cause (either may be null). */
    public Delivery fail(String token, String error, String cause) {
        return answer(token, new TaskWait.Answer(null, null, error == null ? "" : error, cause));
    }

    /** SendTaskHeartbeat: the task's heartbeat deadline counts from now, durably. */
    public Delivery heartbeat(String token, Instant now) {
        TaskWait wait = find(token);
        if (wait == null || !wait.beat(now)) {
            return Delivery.NOT_WAITING;
        }
        var kept = new CompletableFuture<Void>();
        wait.run.recorder.recordHeartbeat(wait.beatEventId(), now, () -> kept.complete(null));
        awaitQuietly(kept);
        return Delivery.DELIVERED;
    }

    /**
     * GetActivityTask: the oldest task of that activity no worker has, waiting up to {@code within} for one.
     *
     * @return empty when none came in time
     */
    public Optional<ActivityTask> poll(String activityArn, String workerName, Duration within) throws InterruptedException {
        ArrayDeque<TaskWait> queue = activities.computeIfAbsent(activityArn, k -> new ArrayDeque<>());
        long deadline = System.nanoTime() + within.toNanos();
        synchronized (queue) {
            while (true) {
                TaskWait next;
                while ((next = queue.pollFirst()) != null) {
                    if (next.pickUp(workerName)) {
                        return Optional.of(new ActivityTask(next.token, next.activityInput));
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(queue, left);
            }
        }
    }

    // ---- for the waiting steps ---------------------------------------------------------------------

    void open(TaskWait wait) {
        waiting.put(wait.token, wait);
    }

    /** Puts an activity task where workers find it (until it is taken or its wait closes). */
    void offer(String activityArn, TaskWait wait) {
        ArrayDeque<TaskWait> queue = activities.computeIfAbsent(activityArn, k -> new ArrayDeque<>());
        synchronized (queue) {
            queue.addLast(wait);
            queue.notify();
        }
    }

    void close(TaskWait wait, String activityArn) {
        waiting.remove(wait.token, wait);
        if (activityArn != null) {
            ArrayDeque<TaskWait> queue = activities.get(activityArn);
            if (queue != null) {
                synchronized (queue) {
                    queue.remove(wait);
                }
            }
        }
    }

    private Delivery answer(String token, TaskWait.Answer answer) {
        TaskWait wait = find(token);
        if (wait == null || !wait.answer(answer)) {
            return Delivery.NOT_WAITING;
        }
        if (wait.submitted()) {
            // the task was handed over: its end is recorded before the worker hears that the answer counts
            awaitQuietly(answer.recorded);
        }
        // otherwise the invocation is still running: were the process to die now, the task is invoked again
        return Delivery.DELIVERED;
    }

    /** The task waiting on the token; after a restart, the execution may need a moment to reach it again. */
    private TaskWait find(String token) {
        TaskWait wait = waiting.get(token);
        if (wait != null) {
            return wait;
        }
        var decoded = TaskToken.decode(token);
        long deadline = System.nanoTime() + RECORDING.toNanos();
        // the replay ends a moment before the task opens its wait again: one more look after it
        int looksAfter = 2;
        while (decoded.isPresent() && System.nanoTime() < deadline
                && (resuming.test(decoded.get().executionArn()) || looksAfter-- > 0)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            wait = waiting.get(token);
            if (wait != null) {
                return wait;
            }
        }
        return null;
    }

    private static void awaitQuietly(CompletableFuture<Void> done) {
        try {
            done.get(RECORDING.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the execution ended another way meanwhile (stopped, timed out): the answer was taken all the same
        }
    }
}
