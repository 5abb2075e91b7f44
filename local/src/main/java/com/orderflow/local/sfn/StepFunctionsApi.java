package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.ApiJson.epochSeconds;
import static com.orderflow.local.sfn.ApiJson.object;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.HistoryUnavailableException;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.engine.run.AslEngine;
import com.orderflow.local.sfn.MockConfig.MockTestCase;
import com.orderflow.local.store.StoredExecution;
import com.orderflow.local.store.WorkflowStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Step Functions operations over JSON documents, independent of HTTP: each takes the request
 * body of {@code AWSStepFunctions.<Operation>} and returns the response body, or throws
 * {@link StepFunctionsException} with AWS's error code.
 */
public final class StepFunctionsApi implements AutoCloseable {

    /** How long StopExecution waits for the engine to record the abort before recording it itself. */
    private static final long STOP_WAIT_SECONDS = 10;

    private static final ObjectReader STRICT_JSON = Json.mapper().reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final StatesArns arns;
    private final StateMachineRegistry stateMachines;
    private final WorkflowStore store;
    private final OpenExecutions open;
    private final TaskInvoker tasks;
    private final Optional<MockConfig> mocks;
    private final Clock clock;
    private final AslEngine engine;
    private final StateMachinesApi machineOperations;
    private final VersionsApi versionOperations;
    private final ExpressExecutions express;
    private final ExecutionQueries queries;
    private final TestStateApi testState;
    private final TaskCallbacksApi callbacks;
    private final ActivitiesApi activities;
    private final ExecutionRedrives redrives;
    private final MapRunsApi mapRuns;
    private final MapRunChildren mapRunChildren;
    private final ExpressRunLog expressRuns = new ExpressRunLog();

    public StepFunctionsApi(StepFunctionsConfig config) {
        this.arns = new StatesArns(config.region(), config.accountId());
        this.clock = config.clock();
        this.store = config.store();
        this.open = new OpenExecutions(config.maxOpenExecutions(),
                (executionArn, outcome) -> store.find(executionArn)
                        .ifPresent(stored -> config.onExecutionEnd().accept(stored, outcome)));
        this.mapRunChildren = new MapRunChildren(store, open, clock, config.objectStore());
        this.engine = new AslEngine(config.engineClock(), mapRunChildren);
        mapRunChildren.runOn(engine);
        // a Task may start a nested execution here ("states:startExecution"); every other resource goes on as given
        this.tasks = new NestedExecutions(config.taskInvoker(), nestedEndpoint());
        this.mocks = config.mockConfig();
        var check = new DefinitionCheck(tasks, mocks);
        this.stateMachines = new StateMachineRegistry(arns, clock, store, check);
        var versions = new StateMachineVersions(store, clock);
        var tags = new ResourceTags(store);
        this.activities = new ActivitiesApi(arns, store, clock, engine.callbacks(), config.activityPoll(), tags);
        this.machineOperations = new StateMachinesApi(stateMachines, versions, tags, check, activities::exists);
        this.versionOperations = new VersionsApi(stateMachines, versions);
        this.queries = new ExecutionQueries(stateMachines, versionOperations, store,
                this::whyNotRedrivable);
        this.redrives = new ExecutionRedrives(queries, stateMachines, open, engine, clock, this::invoker);
        this.testState = new TestStateApi(engine, check, tasks, arns, clock);
        this.express = new ExpressExecutions(arns, versionOperations, open, engine, clock, this::invoker, expressRuns);
        this.callbacks = new TaskCallbacksApi(engine, store);
        this.mapRuns = new MapRunsApi(queries, mapRunChildren, store, clock);
    }

    /** What a nested execution's Task asks of this endpoint. */
    private NestedExecutions.Endpoint nestedEndpoint() {
        return new NestedExecutions.Endpoint() {
            @Override
            public ObjectNode startExecution(ObjectNode request) {
                return call("StartExecution", request);
            }

            @Override
            public Optional<com.orderflow.local.engine.Execution> open(String executionArn) {
                return open.find(executionArn);
            }

            @Override
            public ObjectNode describeExecution(String executionArn) {
                return call("DescribeExecution", object().put("executionArn", executionArn));
            }

            @Override
            public void stopExecution(String executionArn, String error, String cause) {
                call("StopExecution", object().put("executionArn", executionArn).put("error", error).put("cause", cause));
            }
        };
    }

    private String whyNotRedrivable(StoredExecution stored) {
        return redrives.whyNotRedrivable(stored);
    }

    public StateMachineRegistry stateMachines() {
        return stateMachines;
    }

    public WorkflowStore store() {
        return store;
    }

    /** The Express runs this process has seen, which the API keeps nowhere (for the execution view, read-only). */
    public ExpressRunLog expressRuns() {
        return expressRuns;
    }

    /** How many executions run in this process now (running, waiting or retrying). */
    public int runningCount() {
        return open.size();
    }

    /**
     * Runs one operation.
     *
     * @param operation the part of {@code X-Amz-Target} after {@code AWSStepFunctions.}
     * @param body      the request body (a JSON object)
     */
    public ObjectNode call(String operation, JsonNode body) {
        var request = new ActionRequest(body);
        return switch (operation) {
            case "CreateStateMachine" -> machineOperations.create(request);
            case "DescribeStateMachine" -> machineOperations.describe(request);
            case "ListStateMachines" -> machineOperations.list(request);
            case "DeleteStateMachine" -> machineOperations.delete(request);
            case "UpdateStateMachine" -> machineOperations.update(request);
            case "ValidateStateMachineDefinition" -> machineOperations.validate(request);
            case "TagResource" -> machineOperations.tagResource(request);
            case "UntagResource" -> machineOperations.untagResource(request);
            case "ListTagsForResource" -> machineOperations.listTagsForResource(request);
            case "PublishStateMachineVersion" -> versionOperations.publish(request);
            case "ListStateMachineVersions" -> versionOperations.listVersions(request);
            case "DeleteStateMachineVersion" -> versionOperations.deleteVersion(request);
            case "CreateStateMachineAlias" -> versionOperations.createAlias(request);
            case "DescribeStateMachineAlias" -> versionOperations.describeAlias(request);
            case "ListStateMachineAliases" -> versionOperations.listAliases(request);
            case "UpdateStateMachineAlias" -> versionOperations.updateAlias(request);
            case "DeleteStateMachineAlias" -> versionOperations.deleteAlias(request);
            case "StartExecution" -> startExecution(request);
            case "StartSyncExecution" -> express.startSync(request);
            case "TestState" -> testState.testState(request);
            case "DescribeExecution" -> queries.describeExecution(request);
            case "ListExecutions" -> queries.listExecutions(request);
            case "GetExecutionHistory" -> queries.getExecutionHistory(request);
            case "StopExecution" -> stopExecution(request);
            case "RedriveExecution" -> redrives.redrive(request);
            case "DescribeStateMachineForExecution" -> queries.describeStateMachineForExecution(request);
            case "SendTaskSuccess" -> callbacks.sendTaskSuccess(request);
            case "SendTaskFailure" -> callbacks.sendTaskFailure(request);
            case "SendTaskHeartbeat" -> callbacks.sendTaskHeartbeat(request);
            case "CreateActivity" -> activities.create(request);
            case "DescribeActivity" -> activities.describe(request);
            case "ListActivities" -> activities.list(request);
            case "DeleteActivity" -> activities.delete(request);
            case "GetActivityTask" -> activities.getActivityTask(request);
            case "ListMapRuns" -> mapRuns.listMapRuns(request);
            case "DescribeMapRun" -> mapRuns.describeMapRun(request);
            case "UpdateMapRun" -> mapRuns.updateMapRun(request);
            default -> throw unknownOperation(operation);
        };
    }

    static StepFunctionsException unknownOperation(String operation) {
        return new StepFunctionsException("UnknownOperationException",
                "The operation '" + operation + "' is not supported by the local Step Functions endpoint");
    }

    private ObjectNode startExecution(ActionRequest request) {
        var target = request.requiredString("stateMachineArn");
        int hash = target.indexOf('#');
        var resolved = versionOperations.resolve(hash < 0 ? target : target.substring(0, hash));
        var sm = resolved.stateMachine();
        if (sm.type() == StateMachine.StateMachineType.EXPRESS) {
            return express.startAsync(request);
        }
        String testCase = hash < 0 ? null : target.substring(hash + 1);
        TaskInvoker invoker = invoker(sm.name(), testCase);
        var name = request.string("name");
        name = name == null ? RequestIds.next() : ResourceNames.require(name);
        // AWS's model limits an execution's input to 262,144 characters: a longer one is a ValidationException
        var inputText = request.string("input", 262_144);
        inputText = inputText == null ? "{}" : inputText;
        var input = parseInput(inputText);

        if (!open.tryReserve()) {
            // refused before anything is stored, so a refused start leaves no trace and costs nothing to retry
            throw throttled(open.limit());
        }
        WorkflowStore.Claim claim;
        try {
            claim = store.claim(new WorkflowStore.NewExecution(arns.executionArn(sm.name(), name), name, sm.arn(),
                    sm.name(), sm.revision(), clock.instant(), testCase, resolved.versionArn(), resolved.aliasArn()));
        } catch (RuntimeException e) {
            open.cancel();
            throw e;
        }
        var stored = claim.execution();
        if (!claim.created()) {
            open.cancel();
            // AWS: a Standard StartExecution is idempotent while the same-named run is RUNNING with the same input
            if (stored.status() == ExecutionStatus.RUNNING && input.equals(parseInput(stored.input()))) {
                return started(stored);
            }
            throw new StepFunctionsException("ExecutionAlreadyExists",
                    "Execution Already Exists: '" + stored.executionArn() + "'");
        }
        var identity = new ExecutionIdentity(stored.executionArn(), name, sm.arn(), sm.name(), sm.roleArn(),
                stored.startDate());
        try {
            open.holdReserved(stored.executionArn(), engine.start(sm.definition(), identity, input, invoker, stored));
        } catch (HistoryUnavailableException e) {
            e.pending().ifPresentOrElse(pending -> open.holdReserved(stored.executionArn(), pending), () -> {
                open.cancel();
                store.release(stored);
            });
            throw unavailable(e);
        } catch (RuntimeException e) {
            open.cancel();
            throw e;
        }
        return started(stored);
    }

    /**
     * AWS's answer to a request over its rate (HTTP 400, {@code ThrottlingException}, "Rate exceeded"), which SDKs and
     * the CLI know to back off from; AWS's own ExecutionLimitExceeded is about a quota that does not clear by waiting.
     */
    static StepFunctionsException throttled(int limit) {
        return new StepFunctionsException("ThrottlingException", "Rate exceeded: " + limit
                + " executions are open, the most this endpoint runs at once; retry after some have ended");
    }

    private static StepFunctionsException unavailable(RuntimeException e) {
        return new StepFunctionsException("ServiceUnavailable", "The execution was not started: " + e.getMessage()
                + ". Retry shortly.", 503);
    }

    TaskInvoker invoker(String stateMachineName, String testCase) {
        if (testCase == null) {
            return tasks;
        }
        MockTestCase mocked = mocks.flatMap(m -> m.testCase(stateMachineName, testCase)).orElseThrow(() ->
                StepFunctionsException.validation("The mock configuration has no test case '" + testCase
                        + "' for state machine '" + stateMachineName + "'"));
        return new MockingTaskInvoker(tasks, mocked);
    }

    /**
     * Carries on every execution that was RUNNING when the store was last closed or killed, each from its
     * last recorded event with the definition it started with.
     *
     * @return how many were resumed and how many could not continue (each ended FAILED with the reason)
     */
    public Resumed resumeAll() {
        int resumed = 0;
        var failed = new ArrayList<String>();
        var unfinished = store.unfinished();
        // told apart before any parent resumes: a Map Run's child is taken up again by its parent's Map Run
        var orphans = unfinished.stream().filter(e -> e.mapRunArn() != null && !mapRunChildren.parentRunning(e.mapRunArn()))
                .toList();
        for (StoredExecution stored : unfinished) {
            var history = stored.history();
            String why = null;
            if (stored.mapRunArn() != null) {
                if (!orphans.contains(stored)) {
                    continue;
                }
                why = "the execution whose Map Run started it is no longer running";
            }
            var sm = stateMachines.atRevision(stored.revision());
            if (why == null && sm.isEmpty()) {
                why = "its state machine revision " + stored.revision() + " is not in the store";
            } else if (why == null) {
                try {
                    var identity = new ExecutionIdentity(stored.executionArn(), stored.name(), sm.get().arn(),
                            sm.get().name(), sm.get().roleArn(), stored.startDate());
                    stored.resumed(history.getLast().id() + 1, clock.instant());
                    open.holdResumed(stored.executionArn(), engine.resume(sm.get().definition(), identity, history,
                            invoker(sm.get().name(), stored.testCase()), stored));
                    resumed++;
                    continue;
                } catch (StepFunctionsException e) {
                    why = e.getMessage();
                }
            }
            var last = history.getLast();
            var details = object();
            details.putObject("executionFailedEventDetails").put("error", "States.Runtime")
                    .put("cause", "The execution cannot continue after the restart: " + why);
            stored.record(new HistoryEvent(last.id() + 1, last.id(), clock.instant(), "ExecutionFailed", details), null);
            failed.add(stored.name() + ": " + why);
        }
        return new Resumed(resumed, List.copyOf(failed));
    }

    /** What {@link #resumeAll} did. */
    public record Resumed(int resumed, List<String> failed) {
    }

    private ObjectNode started(StoredExecution stored) {
        var response = object();
        response.put("executionArn", stored.executionArn());
        response.set("startDate", epochSeconds(stored.startDate()));
        return response;
    }

    private ObjectNode stopExecution(ActionRequest request) {
        var stored = queries.execution(request.requiredString("executionArn"));
        var error = request.string("error", 256);
        var cause = request.string("cause", 32768);
        var execution = open.find(stored.executionArn()).orElse(null);
        if (execution != null && stored.status() == ExecutionStatus.RUNNING && store.failure() != null) {
            throw new StepFunctionsException("ServiceUnavailable", "The stop cannot be stored now ("
                    + store.failure() + "); the execution is still RUNNING. Retry shortly.", 503);
        }
        if (execution != null && stored.status() == ExecutionStatus.RUNNING) {
            execution.stop(error, cause);
            try {
                execution.completion().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                throw new StepFunctionsException("ServiceUnavailable",
                        "The stop could not be stored yet; the execution is still RUNNING. Retry shortly.", 503);
            }
        }
        var response = object();
        var stop = stored.stopDate();
        response.set("stopDate", epochSeconds(stop == null ? clock.instant() : stop));
        return response;
    }

    static JsonNode parseInput(String text) {
        try {
            var node = STRICT_JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new StepFunctionsException("InvalidExecutionInput",
                        "Invalid State Machine Execution Input: 'No content to map due to end-of-input'");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new StepFunctionsException("InvalidExecutionInput",
                    "Invalid State Machine Execution Input: '" + e.getOriginalMessage() + "'");
        }
    }

    @Override
    public void close() {
        engine.close();
    }
}
