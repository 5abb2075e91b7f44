package com.orderflow.local.sfn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.AslEngine;
import com.orderflow.local.engine.Execution;
import com.orderflow.local.engine.ExecutionIdentity;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.sfn.MockConfig.MockTestCase;
import com.orderflow.local.sfn.StateMachine.StateMachineType;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
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
    private final ExecutionStore executions;
    private final TaskInvoker tasks;
    private final Optional<MockConfig> mocks;
    private final Clock clock;
    private final AslEngine engine = new AslEngine();

    public StepFunctionsApi(StepFunctionsConfig config) {
        this.arns = new StatesArns(config.region(), config.accountId());
        this.clock = config.clock();
        this.stateMachines = new StateMachineRegistry(arns, clock);
        this.executions = config.executionStore();
        this.tasks = config.taskInvoker();
        this.mocks = config.mockConfig();
    }

    public StateMachineRegistry stateMachines() {
        return stateMachines;
    }

    public ExecutionStore executions() {
        return executions;
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
        MockTestCase testCase = null;
        if (hash >= 0) {
            var caseName = target.substring(hash + 1);
            testCase = mocks.flatMap(m -> m.testCase(sm.name(), caseName)).orElseThrow(() ->
                    StepFunctionsException.validation("The mock configuration has no test case '" + caseName
                            + "' for state machine '" + sm.name() + "'"));
        }
        var name = request.string("name");
        name = name == null ? UUID.randomUUID().toString() : ResourceNames.require(name);
        var inputText = request.string("input");
        inputText = inputText == null ? "{}" : inputText;
        var input = parseInput(inputText);

        var record = new ExecutionRecord(arns.executionArn(sm.name(), name), name, sm.arn(), sm.name(),
                inputText, clock.instant());
        var existing = executions.putIfAbsent(record);
        if (existing != null) {
            sync(existing);
            // AWS: a Standard StartExecution is idempotent while the same-named run is RUNNING with the same input
            if (existing.status() == ExecutionStatus.RUNNING && input.equals(parseInput(existing.input()))) {
                return started(existing);
            }
            throw new StepFunctionsException("ExecutionAlreadyExists",
                    "Execution Already Exists: '" + existing.executionArn() + "'");
        }
        run(record, sm, input, testCase == null ? tasks : new MockingTaskInvoker(tasks, testCase));
        return started(record);
    }

    private void run(ExecutionRecord record, StateMachine sm, JsonNode input, TaskInvoker invoker) {
        var identity = new ExecutionIdentity(record.executionArn(), record.name(), sm.arn(), sm.name(),
                sm.roleArn(), record.startDate());
        try {
            Execution execution = engine.start(sm.definition(), identity, input, invoker, event -> {
                record.append(event);
                executions.appended(record, event);
            });
            record.attach(execution);
            execution.completion().whenComplete((outcome, failure) -> end(record, outcome != null ? outcome
                    : new ExecutionOutcome.Failed("States.Runtime", String.valueOf(failure))));
        } catch (RuntimeException e) {
            end(record, new ExecutionOutcome.Failed("States.Runtime",
                    "The execution could not start: " + e.getMessage()));
        }
    }

    private void end(ExecutionRecord record, ExecutionOutcome outcome) {
        // the stop date is the time of the engine's closing event when there is one
        var history = record.history();
        var at = history.isEmpty() || history.getLast().type().equals("ExecutionStarted")
                || !history.getLast().type().startsWith("Execution")
                ? clock.instant() : history.getLast().timestamp();
        if (record.finish(outcome, at)) {
            executions.ended(record);
        }
    }

    private ObjectNode started(ExecutionRecord record) {
        var response = object();
        response.put("executionArn", record.executionArn());
        response.set("startDate", epochSeconds(record.startDate()));
        return response;
    }

    private ObjectNode describeExecution(ApiRequest request) {
        var record = execution(request.requiredString("executionArn"));
        var response = object();
        response.put("executionArn", record.executionArn());
        response.put("stateMachineArn", record.stateMachineArn());
        response.put("name", record.name());
        response.put("status", record.status().name());
        response.set("startDate", epochSeconds(record.startDate()));
        if (record.stopDate() != null) {
            response.set("stopDate", epochSeconds(record.stopDate()));
        }
        response.put("input", record.input());
        response.putObject("inputDetails").put("included", true);
        if (record.output() != null) {
            response.put("output", record.output());
            response.putObject("outputDetails").put("included", true);
        }
        if (record.error() != null) {
            response.put("error", record.error());
        }
        if (record.cause() != null) {
            response.put("cause", record.cause());
        }
        return response;
    }

    private ObjectNode listExecutions(ApiRequest request) {
        var sm = stateMachines.describe(request.requiredString("stateMachineArn"));
        var filter = request.string("statusFilter");
        var status = filter == null ? null : status(filter);
        var all = executions.list(sm.arn()).stream()
                .peek(this::sync)
                .filter(e -> status == null || e.status() == status)
                .toList();
        var page = PageToken.page(all, ExecutionRecord::executionArn, "ListExecutions " + sm.arn() + " " + filter,
                request.string("nextToken"), request.maxResults());
        var response = object();
        var items = response.putArray("executions");
        for (var e : page.items()) {
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
        if (page.nextToken() != null) {
            response.put("nextToken", page.nextToken());
        }
        return response;
    }

    private ObjectNode getExecutionHistory(ApiRequest request) {
        var record = execution(request.requiredString("executionArn"));
        boolean reverse = request.bool("reverseOrder", false);
        boolean includeData = request.bool("includeExecutionData", true);
        var events = new java.util.ArrayList<>(record.history());
        if (reverse) {
            java.util.Collections.reverse(events);
        }
        var page = PageToken.page(events, e -> Long.toString(e.id()),
                "GetExecutionHistory " + record.executionArn() + " " + reverse,
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
                    o.remove(java.util.List.of("input", "output", "inputDetails", "outputDetails"));
                }
                json.set(e.getKey(), details);
            });
        }
        return json;
    }

    private ObjectNode describeStateMachineForExecution(ApiRequest request) {
        var record = execution(request.requiredString("executionArn"));
        // the definition as it is now: this registry keeps no versions of an updated state machine
        var sm = stateMachines.describe(record.stateMachineArn());
        var response = object();
        response.put("stateMachineArn", sm.arn());
        response.put("name", sm.name());
        response.put("definition", sm.definition().json());
        response.put("roleArn", sm.roleArn());
        response.set("updateDate", epochSeconds(sm.updateDate() == null ? sm.creationDate() : sm.updateDate()));
        return response;
    }

    private ObjectNode stopExecution(ApiRequest request) {
        var record = execution(request.requiredString("executionArn"));
        var error = request.string("error", 256);
        var cause = request.string("cause", 32768);
        var running = record.running();
        if (record.status() == ExecutionStatus.RUNNING) {
            if (running != null) {
                running.stop(error, cause);
                try {
                    running.completion().get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException | TimeoutException e) {
                    // the engine did not confirm in time; the abort is recorded below all the same
                }
            }
            end(record, new ExecutionOutcome.Aborted(error, cause));
        }
        var response = object();
        response.set("stopDate", epochSeconds(record.stopDate() == null ? clock.instant() : record.stopDate()));
        return response;
    }

    /** The execution with this ARN, brought up to date with the engine; InvalidArn or ExecutionDoesNotExist. */
    private ExecutionRecord execution(String arn) {
        arns.execution(arn);
        var record = executions.find(arn).orElseThrow(() -> StepFunctionsException.executionDoesNotExist(arn));
        sync(record);
        return record;
    }

    /** Applies an outcome the engine has reached but whose callback has not yet run. */
    private void sync(ExecutionRecord record) {
        var running = record.running();
        if (running != null && record.status() == ExecutionStatus.RUNNING) {
            var outcome = running.completion().getNow(null);
            if (outcome != null) {
                end(record, outcome);
            }
        }
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
