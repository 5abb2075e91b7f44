package com.orderflow.local.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.definition.StateMachineDefinition;
import java.util.concurrent.CompletableFuture;

/**
 * What a Distributed Map's run needs of whoever hosts the engine: child executions that are kept (and listed) as
 * executions of their own, a durable record of each Map Run, and the object store its items come from.
 */
public interface MapRunHost {

    /**
     * One child execution of a Map Run; its ARN and name are fixed by the run, so asking twice yields the same one.
     * {@code mapRunRedrives} is how many times the Map Run has been redriven (0 on its first run).
     */
    record Child(String mapRunArn, String executionArn, String name, String stateMachineArn, String stateMachineName,
                 boolean express, StateMachineDefinition definition, JsonNode input, TaskInvoker tasks,
                 int mapRunRedrives) {
    }

    /**
     * Runs the child, or takes it up where it is: one still RUNNING is resumed; one that ended before (a restart)
     * answers its recorded outcome, unless it did not succeed and the Map Run has been redriven since it was last
     * run, in which case it is redriven (as far as it may still be); completes with its outcome.
     */
    CompletableFuture<ExecutionOutcome> run(Child child);

    /** How many times the child execution has been redriven (0 when it never was, or is unknown). */
    int redriveCount(String executionArn);

    /** Stops a child that is still running (its Map Run failed or was stopped). */
    void stop(String executionArn, String error, String cause);

    /** Stores the Map Run's description (DescribeMapRun's settings and item count) durably, once, as it starts. */
    void mapRunStarted(ObjectNode mapRun);

    /**
     * The Map Run's description as it stands now: UpdateMapRun may have changed its {@code maxConcurrency},
     * {@code toleratedFailurePercentage} and {@code toleratedFailureCount} since it started; null when unknown.
     */
    JsonNode settings(String mapRunArn);

    ObjectStore objects();

    /** No host: a Distributed Map fails with States.Runtime. */
    MapRunHost NONE = new MapRunHost() {
        @Override
        public CompletableFuture<ExecutionOutcome> run(Child child) {
            throw new IllegalStateException("this engine runs no Distributed Map: it has no host for child executions");
        }

        @Override
        public int redriveCount(String executionArn) {
            return 0;
        }

        @Override
        public void stop(String executionArn, String error, String cause) {
        }

        @Override
        public void mapRunStarted(ObjectNode mapRun) {
        }

        @Override
        public JsonNode settings(String mapRunArn) {
            return null;
        }

        @Override
        public ObjectStore objects() {
            return ObjectStore.NONE;
        }
    };
}
