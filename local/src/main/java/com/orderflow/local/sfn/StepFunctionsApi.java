package com.orderflow.local.sfn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.run.AslEngine;
import com.orderflow.local.engine.Execution;
import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.HistoryUnavailableException;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.sfn.MockConfig.MockTestCase;
import com.orderflow.local.sfn.StateMachine.StateMachineType;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import com.orderflow.local.store.StoredExecution;
import com.orderflow.local.store.WorkflowStore;
import java.util.Arrays;
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
    private final AslEngine engine = new AslEngine();

    public StepFunctionsApi(StepFunctionsConfig config) {
        this.arns = new StatesArns(config.region(), config.accountId());
        this.clock = config.clock();
        this.store = config.store();
        this.stateMachines = new StateMachineRegistry(arns, clock, store);
        this.tasks = config.taskInvoker();
        this.mocks = config.mockConfig();
        this.open = new OpenExecutions(config.maxOpenExecutions());
    }

    public StateMachineRegistry stateMachines() {
        return stateMachines;
    }

    public WorkflowStore store() {
        return store;
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
        var request = new ApiRequest(body);
        return switch (operation) {
            case "CreateStateMachine" -> createStateMachine(request);
            case "DescribeStateMachine" -> describeStateMachine(request);
            case "ListStateMachines" -> listStateMachines(request);
            case "DeleteStateMachine" -> deleteStateMachine(request);
            case "UpdateStateMachine" -> updateStateMachine(request);
            case "StartExecution" -> startExecution(request);
            case "DescribeExecution" -> describeExecution(request);
            case "ListExecutions" -> listExecutions(request);
            case "GetExecutionHistory" -> getExecutionHistory(request);
            case "StopExecution" -> stopExecution(request);
            case "DescribeStateMachineForExecution" -> describeStateMachineForExecution(request);
            default -> throw unknownOperation(operation);
        };
    }

    static StepFunctionsException unknownOperation(String operation) {
        return new StepFunctionsException("UnknownOperationException",
                "The operation '" + operation + "' is not supported by the local Step Functions endpoint");
    }

    private ObjectNode createStateMachine(ApiRequest request) {
        var name = request.requiredString("name");
        var definition = request.requiredString("definition");
        var roleArn = request.requiredString("roleArn");
        var type = type(request.string("type"));
        var sm = stateMachines.create(name, definition, roleArn, type);
        var response = object();
        response.put("stateMachineArn", sm.arn());
        response.set("creationDate", epochSeconds(sm.creationDate()));
        return response;
    }

    private ObjectNode describeStateMachine(ApiRequest request) {
        var sm = stateMachines.describe(request.requiredString("stateMachineArn"));
        var response = object();
        response.put("stateMachineArn", sm.arn());
        response.put("name", sm.name());
        response.put("status", "ACTIVE");
        response.put("definition", sm.definition().json());
        response.put("roleArn", sm.roleArn());
        response.put("type", sm.type().name());
        response.set("creationDate", epochSeconds(sm.creationDate()));
        var logging = response.putObject("loggingConfiguration");
        logging.put("level", "OFF");
        logging.put("includeExecutionData", false);
        response.putObject("tracingConfiguration").put("enabled", false);
        return response;
    }

    private ObjectNode listStateMachines(ApiRequest request) {
        var page = PageToken.page(stateMachines.list(), StateMachine::name, "ListStateMachines",
                request.string("nextToken"), request.maxResults());
        var response = object();
        var items = response.putArray("stateMachines");
        for (var sm : page.items()) {
            var item = items.addObject();
            item.put("stateMachineArn", sm.arn());
            item.put("name", sm.name());
            item.put("type", sm.type().name());
            item.set("creationDate", epochSeconds(sm.creationDate()));
        }
        if (page.nextToken() != null) {
            response.put("nextToken", page.nextToken());
        }
        return response;
    }

    private ObjectNode deleteStateMachine(ApiRequest request) {
        stateMachines.delete(request.requiredString("stateMachineArn"));
        return object();
    }

    private ObjectNode updateStateMachine(ApiRequest request) {
        var sm = stateMachines.update(request.requiredString("stateMachineArn"),
                request.string("definition"), request.string("roleArn"));
        var response = object();
        response.set("updateDate", epochSeconds(sm.updateDate()));
        return response;
    }

    private ObjectNode startExecution(ApiRequest request) {
        var target = request.requiredString("stateMachineArn");
        int hash = target.indexOf('#');
        var smArn = hash < 0 ? target : target.substring(0, hash);
        var sm = stateMachines.describe(smArn);
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
            throw throttled();
        }
        WorkflowStore.Claim claim;
        try {
            claim = store.claim(new WorkflowStore.NewExecution(arns.executionArn(sm.name(), name), name, sm.arn(),
                    sm.name(), sm.revision(), clock.instant(), testCase));
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
    private StepFunctionsException throttled() {
        return new StepFunctionsException("ThrottlingException", "Rate exceeded: " + open.limit()
                + " executions are open, the most this endpoint runs at once; retry after some have ended");
    }

    private static StepFunctionsException unavailable(RuntimeException e) {
        return new StepFunctionsException("ServiceUnavailable", "The execution was not started: " + e.getMessage()
                + ". Retry shortly.", 503);
    }

    private TaskInvoker invoker(String stateMachineName, String testCase) {
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
        var failed = new java.util.ArrayList<String>();
        for (StoredExecution stored : store.unfinished()) {
            var history = stored.history();
            String why = null;
            var sm = stateMachines.atRevision(stored.revision());
            if (sm.isEmpty()) {
                why = "its state machine revision " + stored.revision() + " is not in the store";
            } else {
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

    private ObjectNode describeExecution(ApiRequest request) {
        var stored = execution(request.requiredString("executionArn"));
        var response = object();
        response.put("executionArn", stored.executionArn());
        response.put("stateMachineArn", stored.stateMachineArn());
        response.put("name", stored.name());
        response.put("status", stored.status().name());
        response.set("startDate", epochSeconds(stored.startDate()));
        response.put("input", stored.input());
        response.putObject("inputDetails").put("included", true);
        if (!stored.resumes().isEmpty()) {
            // not in AWS's shape (SDKs ignore it): where the local engine was restarted and resumed this execution
            var restarts = response.putArray("localRestarts");
            stored.resumes().forEach(r -> restarts.addObject().put("beforeEventId", r.beforeEventId())
                    .set("at", epochSeconds(r.at())));
        }
        var closing = stored.closing();
        if (closing != null) {
            response.set("stopDate", epochSeconds(closing.timestamp()));
            var d = closing.details() == null ? object() : closing.details().elements().next();
            if (d.hasNonNull("output")) {
                response.put("output", d.path("output").asText());
                response.putObject("outputDetails").put("included", true);
            }
            if (d.hasNonNull("error")) {
                response.put("error", d.path("error").asText());
            }
            if (d.hasNonNull("cause")) {
                response.put("cause", d.path("cause").asText());
            }
        }
        return response;
    }

    private ObjectNode listExecutions(ApiRequest request) {
        var sm = stateMachines.describe(request.requiredString("stateMachineArn"));
        var filter = request.string("statusFilter");
        var status = filter == null ? null : status(filter);
        String listing = "ListExecutions " + sm.arn() + " " + filter;
        String token = request.string("nextToken");
        Long after = null;
        if (token != null) {
            try {
                after = Long.parseLong(PageToken.keyOf(listing, token));
            } catch (NumberFormatException e) {
                throw PageToken.invalidToken(token);
            }
        }
        int max = request.maxResults();
        // one more than the page, to know whether a next page exists
        var found = store.list(sm.arn(), e -> status == null || e.status() == status, after, max + 1);
        var page = found.size() > max ? found.subList(0, max) : found;
        String nextToken = found.size() > max ? PageToken.after(listing, Long.toString(page.getLast().key())) : null;
        var response = object();
        var items = response.putArray("executions");
        for (var e : page) {
            var item = items.addObject();
            item.put("executionArn", e.executionArn());
            item.put("stateMachineArn", e.stateMachineArn());
            item.put("name", e.name());
            item.put("status", e.status().name());
            item.set("startDate", epochSeconds(e.startDate()));
            if (e.stopDate() != null) {
                item.set("stopDate", epochSeconds(e.stopDate()));
            }
        }
        if (nextToken != null) {
            response.put("nextToken", nextToken);
        }
        return response;
    }

    private ObjectNode getExecutionHistory(ApiRequest request) {
        var stored = execution(request.requiredString("executionArn"));
        boolean reverse = request.bool("reverseOrder", false);
        boolean includeData = request.bool("includeExecutionData", true);
        var events = new java.util.ArrayList<>(stored.history());
        if (reverse) {
            java.util.Collections.reverse(events);
        }
        var page = PageToken.page(events, e -> Long.toString(e.id()),
                "GetExecutionHistory " + stored.executionArn() + " " + reverse,
                request.string("nextToken"), request.maxResults());
        var response = object();
        var items = response.putArray("events");
        for (var event : page.items()) {
            items.add(eventJson(event, includeData));
        }
        if (page.nextToken() != null) {
            response.put("nextToken", page.nextToken());
        }
        return response;
    }

    private static ObjectNode eventJson(HistoryEvent event, boolean includeData) {
        var json = object();
        json.set("timestamp", epochSeconds(event.timestamp()));
        json.put("type", event.type());
        json.put("id", event.id());
        json.put("previousEventId", event.previousEventId());
        if (event.details() != null) {
            event.details().properties().forEach(e -> {
                var details = e.getValue().deepCopy();
                if (!includeData && details instanceof ObjectNode o) {
                    o.remove(List.of("input", "output", "inputDetails", "outputDetails"));
                }
                json.set(e.getKey(), details);
            });
        }
        return json;
    }

    private ObjectNode describeStateMachineForExecution(ApiRequest request) {
        var stored = execution(request.requiredString("executionArn"));
        // the definition the execution ran, not today's
        var sm = stateMachines.atRevision(stored.revision()).orElseThrow(() ->
                StepFunctionsException.stateMachineDoesNotExist(stored.stateMachineArn()));
        var response = object();
        response.put("stateMachineArn", sm.arn());
        response.put("name", sm.name());
        response.put("definition", sm.definition().json());
        response.put("roleArn", sm.roleArn());
        response.set("updateDate", epochSeconds(sm.updateDate() == null ? sm.creationDate() : sm.updateDate()));
        return response;
    }

    private ObjectNode stopExecution(ApiRequest request) {
        var stored = execution(request.requiredString("executionArn"));
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

    /** The execution with this ARN; InvalidArn or ExecutionDoesNotExist. */
    private StoredExecution execution(String arn) {
        arns.execution(arn);
        return store.find(arn).orElseThrow(() -> StepFunctionsException.executionDoesNotExist(arn));
    }

    private static JsonNode parseInput(String text) {
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

    private static StateMachineType type(String value) {
        if (value == null) {
            return StateMachineType.STANDARD;
        }
        try {
            return StateMachineType.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw StepFunctionsException.validation("1 validation error detected: Value '" + value
                    + "' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]");
        }
    }

    private static ExecutionStatus status(String value) {
        try {
            return ExecutionStatus.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw StepFunctionsException.validation("1 validation error detected: Value '" + value
                    + "' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: "
                    + Arrays.toString(ExecutionStatus.values()));
        }
    }

    /** AWS JSON 1.0 timestamps: epoch seconds, with the milliseconds as a fraction. */
    static JsonNode epochSeconds(Instant instant) {
        return Json.mapper().getNodeFactory().numberNode(BigDecimal.valueOf(instant.toEpochMilli(), 3));
    }

    private static ObjectNode object() {
        return Json.mapper().createObjectNode();
    }

    @Override
    public void close() {
        engine.close();
    }
}
