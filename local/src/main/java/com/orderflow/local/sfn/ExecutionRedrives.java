package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.ApiJson.epochSeconds;
import static com.orderflow.local.sfn.ApiJson.object;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.HistoryUnavailableException;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.engine.run.AslEngine;
import com.orderflow.local.store.StoredExecution;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * RedriveExecution, and whether an execution can be redriven (DescribeExecution's {@code redriveStatus}): the
 * conditions are AWS's, the redrive itself is the engine's, recorded as an ExecutionRedriven event in the
 * execution's history like every other step.
 */
final class ExecutionRedrives {

    /** AWS: redrivable for 14 days after the execution ended, within a year of its start, under 24,999 events. */
    static final Duration REDRIVABLE_PERIOD = Duration.ofDays(14);
    static final Duration MAX_OPEN_TIME = Duration.ofDays(365);
    static final int MAX_EVENTS_BEFORE_REDRIVE = 24_999;
    /** AWS answers the last 10 client tokens of an execution's successful redrives, for 15 minutes each. */
    private static final int TOKENS_KEPT = 10;
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);

    private record Answered(String token, Instant firstUsed, Instant redriveDate) {
    }

    private final ExecutionQueries queries;
    private final StateMachineRegistry stateMachines;
    private final OpenExecutions open;
    private final AslEngine engine;
    private final Clock clock;
    private final BiFunction<String, String, TaskInvoker> invokers;
    /** Client tokens by execution ARN (guarded by this); kept in memory, as a retry comes within minutes. */
    private final Map<String, ArrayDeque<Answered>> tokens = new HashMap<>();

    ExecutionRedrives(ExecutionQueries queries, StateMachineRegistry stateMachines, OpenExecutions open,
                      AslEngine engine, Clock clock, BiFunction<String, String, TaskInvoker> invokers) {
        this.queries = queries;
        this.stateMachines = stateMachines;
        this.open = open;
        this.engine = engine;
        this.clock = clock;
        this.invokers = invokers;
    }

    /**
     * Why RedriveExecution would refuse this execution now (AWS's {@code redriveStatusReason}), or null. For a Map
     * Run's child it says whether the Map Run can redrive it, as AWS's {@code redriveStatus} does for one.
     */
    String whyNotRedrivable(StoredExecution stored) {
        var status = stored.status();
        if (status == ExecutionStatus.RUNNING || status == ExecutionStatus.SUCCEEDED) {
            return "Execution is " + status + " and cannot be redriven";
        }
        if (stored.mapRunArn() == null && stateMachines.find(stored.stateMachineArn()).isEmpty()) {
            return "State machine is in DELETING status";
        }
        return pastLimits(stored, clock.instant());
    }

    /** Why an ended execution is past what AWS redrives (its age, its time since it ended, its history), or null. */
    static String pastLimits(StoredExecution stored, Instant now) {
        if (stored.startDate().plus(MAX_OPEN_TIME).isBefore(now)) {
            return "Execution has exceeded the max execution time";
        }
        if (stored.stopDate() != null && stored.stopDate().plus(REDRIVABLE_PERIOD).isBefore(now)) {
            return "Execution redrivable period exceeded";
        }
        if (stored.history().size() >= MAX_EVENTS_BEFORE_REDRIVE) {
            return "Execution history event limit exceeded";
        }
        return null;
    }

    synchronized ObjectNode redrive(ActionRequest request) {
        var stored = queries.execution(request.requiredString("executionArn"));
        String token = request.string("clientToken", 64);
        if (token != null && (token.isEmpty() || !token.chars().allMatch(c -> c >= '!' && c <= '~'))) {
            throw StepFunctionsException.validation("1 validation error detected: Value '" + token
                    + "' at 'clientToken' failed to satisfy constraint: Member must satisfy regular expression pattern: [!-~]+");
        }
        var repeated = answered(stored.executionArn(), token);
        if (repeated != null) {
            return response(repeated);
        }
        String why = stored.mapRunArn() != null
                ? "A Map Run's child execution is redriven with its Map Run, by RedriveExecution of the parent execution"
                : whyNotRedrivable(stored);
        if (why != null) {
            throw new StepFunctionsException("ExecutionNotRedrivable", why + ": '" + stored.executionArn() + "'");
        }
        var sm = stateMachines.atRevision(stored.revision()).orElseThrow(() -> new StepFunctionsException(
                "ExecutionNotRedrivable", "Its state machine revision is not in the store: '" + stored.executionArn() + "'"));
        TaskInvoker invoker = invokers.apply(sm.name(), stored.testCase());
        if (!open.tryReserve()) {
            throw new StepFunctionsException("ExecutionLimitExceeded", "Execution limit exceeded: " + open.limit()
                    + " executions are open, the most this endpoint runs at once; retry after some have ended");
        }
        var identity = new ExecutionIdentity(stored.executionArn(), stored.name(), sm.arn(), sm.name(), sm.roleArn(),
                stored.startDate());
        try {
            open.holdReserved(stored.executionArn(),
                    engine.redrive(sm.definition(), identity, stored.history(), invoker, stored));
        } catch (HistoryUnavailableException e) {
            e.pending().ifPresentOrElse(pending -> open.holdReserved(stored.executionArn(), pending), open::cancel);
            throw new StepFunctionsException("ServiceUnavailable", "The execution was not redriven: " + e.getMessage()
                    + ". Retry shortly.", 503);
        } catch (RuntimeException e) {
            open.cancel();
            throw e;
        }
        Instant redriveDate = stored.redriveDate();
        if (token != null) {
            var kept = tokens.computeIfAbsent(stored.executionArn(), k -> new ArrayDeque<>(TOKENS_KEPT));
            if (kept.size() == TOKENS_KEPT) {
                kept.removeFirst();
            }
            kept.addLast(new Answered(token, clock.instant(), redriveDate));
        }
        return response(redriveDate);
    }

    /** The redrive date a repeated client token was answered with, or null. */
    private Instant answered(String executionArn, String token) {
        var kept = tokens.get(executionArn);
        if (token == null || kept == null) {
            return null;
        }
        Instant oldest = clock.instant().minus(TOKEN_LIFETIME);
        kept.removeIf(a -> a.firstUsed().isBefore(oldest));
        return kept.stream().filter(a -> a.token().equals(token)).map(Answered::redriveDate).findFirst().orElse(null);
    }

    private static ObjectNode response(Instant redriveDate) {
        var response = object();
        response.set("redriveDate", epochSeconds(redriveDate));
        return response;
    }
}
