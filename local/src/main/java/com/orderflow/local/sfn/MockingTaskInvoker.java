package com.orderflow.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.local.engine.TaskContext;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.sfn.MockConfig.MockTestCase;
import com.orderflow.local.sfn.MockConfig.MockedOutcome;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The task invoker of one execution started with a mock test case: mocked states answer from the
 * mock configuration by invocation count (retries included), every other state runs for real.
 */
final class MockingTaskInvoker implements TaskInvoker {

    private final TaskInvoker real;
    private final MockTestCase testCase;
    private final ConcurrentHashMap<String, AtomicInteger> invocations = new ConcurrentHashMap<>();

    MockingTaskInvoker(TaskInvoker real, MockTestCase testCase) {
        this.real = real;
        this.testCase = testCase;
    }

    /** A mocked callback state's mocked response is its result: nothing was sent that a worker could answer. */
    @Override
    public boolean answersForWorker(String stateName) {
        return testCase.byState().containsKey(stateName);
    }

    @Override
    public JsonNode invoke(String resource, JsonNode input, TaskContext context) throws TaskFailedException {
        var response = testCase.byState().get(context.stateName());
        if (response == null) {
            return real.invoke(resource, input, context);
        }
        int invocation = invocations.computeIfAbsent(context.stateName(), k -> new AtomicInteger()).getAndIncrement();
        return switch (response.at(invocation)) {
            case MockedOutcome.Return r -> r.value().deepCopy();
            case MockedOutcome.Throw t -> throw new TaskFailedException(t.error(), t.cause());
        };
    }
}
