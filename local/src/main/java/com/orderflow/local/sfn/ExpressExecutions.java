package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.ApiJson.epochSeconds;
import static com.orderflow.local.sfn.ApiJson.object;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.Execution;
import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.HistoryRecorder;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.engine.run.AslEngine;
import com.orderflow.local.sfn.StateMachine.StateMachineType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * Executions of EXPRESS state machines, as AWS runs them: at most once and kept nowhere. Their history exists only
 * while they run, in memory; nothing is written to the store, so a restart does not resume them, and no execution
 * operation takes their ARN ({@code …:express:<machine>:<name>:<id>}). StartSyncExecution answers with the outcome.
 * What the run ended with (never its events) goes to the {@link ExpressRunLog} the execution view reads.
 */
final class ExpressExecutions {

    /** AWS's longest Express execution. */
    static final Duration MAX_DURATION = Duration.ofMinutes(5);

    private final StatesArns arns;
    private final VersionsApi targets;
    private final OpenExecutions open;
    private final AslEngine engine;
    private final Clock clock;
    private final BiFunction<String, String, TaskInvoker> invokers;
    private final ExpressRunLog log;

    ExpressExecutions(StatesArns arns, VersionsApi targets, OpenExecutions open, AslEngine engine, Clock clock,
                      BiFunction<String, String, TaskInvoker> invokers, ExpressRunLog log) {
        this.arns = arns;
        this.targets = targets;
        this.open = open;
        this.engine = engine;
        this.clock = clock;
        this.invokers = invokers;
        this.log = log;
    }

    /** StartExecution of an EXPRESS state machine: started, not waited for. */
    ObjectNode startAsync(ActionRequest request) {
        var started = start(request, "StartExecution");
        var response = object();
        response.put("executionArn", started.identity().executionArn());
        response.set("startDate", epochSeconds(started.identity().startTime()));
        return response;
    }

    /** StartSyncExecution: runs the execution to its end and answers with its outcome and billing. */
    ObjectNode startSync(ActionRequest request) {
        var target = targets.resolve(withoutTestCase(request.requiredString("stateMachineArn")));
        if (target.stateMachine().type() != StateMachineType.EXPRESS) {
            throw new StepFunctionsException("StateMachineTypeNotSupported",
                    "This operation is not supported by this type of state machine");
        }
        var inputText = inputText(request);
        var execution = start(request, "StartSyncExecution");
        ExecutionOutcome outcome;
        try {
            outcome = execution.completion().get(MAX_DURATION.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            execution.stop("States.Aborted", "The endpoint stopped waiting");
            throw new StepFunctionsException("ServiceUnavailable", "Interrupted while the execution ran", 503);
        } catch (TimeoutException e) {
            execution.stop("States.Timeout", "An Express execution runs at most " + MAX_DURATION.toMinutes() + " minutes");
            outcome = new ExecutionOutcome.TimedOut("States.Timeout", "An Express execution runs at most "
                    + MAX_DURATION.toMinutes() + " minutes");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the execution failed inside the engine", e.getCause());
        }
        Instant stop = clock.instant();
        var identity = execution.identity();
        var response = object();
        response.put("executionArn", identity.executionArn());
        response.put("stateMachineArn", target.stateMachine().arn());
        response.put("name", identity.name());
        response.set("startDate", epochSeconds(identity.startTime()));
        response.set("stopDate", epochSeconds(stop));
        response.put("status", outcome.status().name());
        response.put("input", inputText);
        response.putObject("inputDetails").put("included", true);
        switch (outcome) {
            case ExecutionOutcome.Succeeded s -> {
                response.put("output", s.output().toString());
                response.putObject("outputDetails").put("included", true);
            }
            case ExecutionOutcome.Failed f -> errorAndCause(response, f.error(), f.cause());
            case ExecutionOutcome.TimedOut t -> errorAndCause(response, t.error(), t.cause());
            case ExecutionOutcome.Aborted a -> errorAndCause(response, a.error(), a.cause());
        }
        long millis = Math.max(1, Duration.between(identity.startTime(), stop).toMillis());
        // billed in 100 ms steps and 64 MB steps, as Express is
        response.putObject("billingDetails").put("billedMemoryUsedInMB", 64)
                .put("billedDurationInMilliseconds", (millis + 99) / 100 * 100);
        log.answered(response);
        return response;
    }

    private Execution start(ActionRequest request, String operation) {
        var target = request.requiredString("stateMachineArn");
        int hash = target.indexOf('#');
        var resolved = targets.resolve(withoutTestCase(target));
        var sm = resolved.stateMachine();
        var invoker = invokers.apply(sm.name(), hash < 0 ? null : target.substring(hash + 1));
        var name = request.string("name");
        name = name == null ? UUID.randomUUID().toString() : ResourceNames.require(name);
        var input = StepFunctionsApi.parseInput(inputText(request));
        if (!open.tryReserve()) {
            throw StepFunctionsApi.throttled(open.limit());
        }
        var arn = arns.expressExecutionArn(sm.name(), name, UUID.randomUUID().toString());
        var identity = new ExecutionIdentity(arn, name, sm.arn(), sm.name(), sm.roleArn(), clock.instant());
        try {
            var execution = engine.start(sm.definition(), identity, input, invoker, HistoryRecorder.IN_MEMORY);
            open.holdReserved(arn, execution);
            log.started(identity, inputText(request), operation);
            execution.completion().whenComplete((outcome, failure) -> {
                if (outcome != null) {
                    log.ended(arn, outcome, clock.instant());
                }
            });
            return execution;
        } catch (RuntimeException e) {
            open.cancel();
            throw e;
        }
    }

    private static String inputText(ActionRequest request) {
        var text = request.string("input");
        return text == null ? "{}" : text;
    }

    private static void errorAndCause(ObjectNode response, String error, String cause) {
        if (error != null) {
            response.put("error", error);
        }
        if (cause != null) {
            response.put("cause", cause);
        }
    }

    private static String withoutTestCase(String target) {
        int hash = target.indexOf('#');
        return hash < 0 ? target : target.substring(0, hash);
    }

}
