package com.orderflow.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.local.engine.TaskContext;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.EngineClock;
import com.orderflow.local.engine.ObjectStore;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.store.StoredExecution;
import com.orderflow.local.store.WorkflowStore;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/** How to run the local Step Functions endpoint: address, ARN region/account, task wiring, mocks, store. */
public final class StepFunctionsConfig {

    /** The local stack's conventional Step Functions port. */
    public static final int DEFAULT_PORT = 8083;

    /**
     * Open executions per core that StartExecution accepts by default. On this project's 2-core machine the stack
     * finishes 68 orders/s persistent and 342 in memory (README, load test), so the default 1,000 open drain in 3 to
     * 15 s: well inside the workflow's 30 s Task timeout, so an order accepted at the limit still ends as its
     * payload says rather than in {@code States.Timeout}. An open execution holds a few KiB and, while it waits, no
     * thread; more cores finish more, hence per core.
     */
    public static final int DEFAULT_OPEN_EXECUTIONS_PER_CORE = 500;

    private final InetAddress bindAddress;
    private final int port;
    private final String region;
    private final String accountId;
    private final TaskInvoker taskInvoker;
    private final MockConfig mockConfig;
    private final WorkflowStore store;
    private final Clock clock;
    private final EngineClock engineClock;
    private final int maxOpenExecutions;
    private final BiConsumer<StoredExecution, ExecutionOutcome> onExecutionEnd;
    private final Duration activityPoll;

    private final ObjectStore objectStore;

    private StepFunctionsConfig(Builder b) {
        this.activityPoll = b.activityPoll;
        this.bindAddress = b.bindAddress;
        this.port = b.port;
        this.region = b.region;
        this.accountId = b.accountId;
        this.taskInvoker = b.taskInvoker;
        this.mockConfig = b.mockConfig;
        this.store = b.store == null ? WorkflowStore.inMemory() : b.store;
        this.clock = b.clock;
        this.engineClock = b.engineClock;
        this.maxOpenExecutions = b.maxOpenExecutions;
        this.onExecutionEnd = b.onExecutionEnd;
        this.objectStore = b.objectStore;
    }

    /** The objects (S3) a Distributed Map reads items from and writes results to. */
    public ObjectStore objectStore() {
        return objectStore;
    }

    public static Builder builder() {
        return new Builder();
    }

    public InetAddress bindAddress() {
        return bindAddress;
    }

    public int port() {
        return port;
    }

    public String region() {
        return region;
    }

    public String accountId() {
        return accountId;
    }

    public TaskInvoker taskInvoker() {
        return taskInvoker;
    }

    public Optional<MockConfig> mockConfig() {
        return Optional.ofNullable(mockConfig);
    }

    /** Where state machines and executions are kept (in memory unless one is given). */
    public WorkflowStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    /** The engine's time: what Wait states, Retry intervals and timeouts wait on; real time unless a test speeds it up. */
    public EngineClock engineClock() {
        return engineClock;
    }

    /**
     * The most executions open at once (running, waiting or retrying); a StartExecution past it is refused with
     * {@code ThrottlingException} at once, and executions resumed at start count but are never refused.
     */
    public int maxOpenExecutions() {
        return maxOpenExecutions;
    }

    /**
     * Told of every execution once its closing event is durable, with the outcome the engine ended it with (the local
     * stack's console line per execution).
     */
    public BiConsumer<StoredExecution, ExecutionOutcome> onExecutionEnd() {
        return onExecutionEnd;
    }

    /** How long GetActivityTask waits for a task before it answers without one (60 s, as AWS). */
    public Duration activityPoll() {
        return activityPoll;
    }

    /** {@link #DEFAULT_OPEN_EXECUTIONS_PER_CORE} times the cores this JVM may use. */
    public static int defaultMaxOpenExecutions() {
        return DEFAULT_OPEN_EXECUTIONS_PER_CORE * Runtime.getRuntime().availableProcessors();
    }

    /** Without a task invoker no Task state can run, so a definition with one is refused when it is created. */
    private static final class NoTasks implements TaskInvoker {
        private static final String WHY = "no task invoker is configured on this endpoint";

        @Override
        public JsonNode invoke(String resource, JsonNode input, TaskContext context) throws TaskFailedException {
            throw new TaskFailedException("States.Runtime", "No task invoker is configured for " + resource);
        }

        @Override
        public Optional<String> whyNotRunnable(String resource) {
            return Optional.of(WHY);
        }
    }

    /** Builds a {@link StepFunctionsConfig}; every setting has a local default. */
    public static final class Builder {

        private InetAddress bindAddress = InetAddress.getLoopbackAddress();
        private int port = DEFAULT_PORT;
        private String region = "us-east-1";
        private String accountId = "000000000000";
        private TaskInvoker taskInvoker = new NoTasks();
        private MockConfig mockConfig;
        private WorkflowStore store;
        private Clock clock = Clock.systemUTC();
        private EngineClock engineClock = EngineClock.system();
        private int maxOpenExecutions = defaultMaxOpenExecutions();
        private BiConsumer<StoredExecution, ExecutionOutcome> onExecutionEnd = (execution, outcome) -> { };
        private Duration activityPoll = ActivitiesApi.AWS_POLL;
        private ObjectStore objectStore = ObjectStore.NONE;

        public Builder objectStore(ObjectStore objectStore) {
            this.objectStore = objectStore;
            return this;
        }

        private Builder() {
        }

        /** See {@link StepFunctionsConfig#maxOpenExecutions()}; at least 1. */
        public Builder maxOpenExecutions(int maxOpenExecutions) {
            if (maxOpenExecutions < 1) {
                throw new IllegalArgumentException("maxOpenExecutions must be at least 1: " + maxOpenExecutions);
            }
            this.maxOpenExecutions = maxOpenExecutions;
            return this;
        }

        /** Loopback by default; the endpoint has no authentication, so think twice before widening it. */
        public Builder bindAddress(InetAddress bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress);
            return this;
        }

        /** 0 picks a free port ({@link StepFunctionsServer#port()} tells which). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        public Builder region(String region) {
            this.region = Objects.requireNonNull(region);
            return this;
        }

        public Builder accountId(String accountId) {
            this.accountId = Objects.requireNonNull(accountId);
            return this;
        }

        /** Runs every Task state (e.g. a {@code LocalLambdaInvoker}). */
        public Builder taskInvoker(TaskInvoker taskInvoker) {
            this.taskInvoker = Objects.requireNonNull(taskInvoker);
            return this;
        }

        /** Mocked task results for {@code stateMachineArn#TestCase} executions; {@code null} for none. */
        public Builder mockConfig(MockConfig mockConfig) {
            this.mockConfig = mockConfig;
            return this;
        }

        public Builder store(WorkflowStore store) {
            this.store = Objects.requireNonNull(store);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder engineClock(EngineClock engineClock) {
            this.engineClock = Objects.requireNonNull(engineClock);
            return this;
        }

        /** See {@link StepFunctionsConfig#onExecutionEnd()}; it runs on the engine's thread, so it must not block. */
        public Builder onExecutionEnd(BiConsumer<StoredExecution, ExecutionOutcome> onExecutionEnd) {
            this.onExecutionEnd = Objects.requireNonNull(onExecutionEnd);
            return this;
        }

        /** See {@link StepFunctionsConfig#activityPoll()}; between 1 ms and AWS's 60 s (tests shorten it). */
        public Builder activityPoll(Duration activityPoll) {
            if (activityPoll.isNegative() || activityPoll.isZero() || activityPoll.compareTo(ActivitiesApi.AWS_POLL) > 0) {
                throw new IllegalArgumentException("activityPoll must be between 1 ms and 60 s: " + activityPoll);
            }
            this.activityPoll = activityPoll;
            return this;
        }

        public StepFunctionsConfig build() {
            new StatesArns(region, accountId); // validates both early
            return new StepFunctionsConfig(this);
        }
    }
}
