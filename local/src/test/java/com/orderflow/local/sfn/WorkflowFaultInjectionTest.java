package com.orderflow.local.sfn;

import com.orderflow.local.engine.definition.State;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.lambda.LocalLambdaInvoker;
import com.orderflow.local.lambda.OrderflowFunctions;
import com.orderflow.local.s3.LocalS3Server;
import com.orderflow.local.s3.OrdersBucket;
import com.orderflow.order.inventory.SimulatedInventory;
import com.orderflow.order.payment.SimulatedPaymentGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * Faults injected into every step of the real workflow with the real handlers, persisting to the local S3:
 * <ul>
 *   <li>transient: {@code Lambda.ServiceException}, then {@code Lambda.TooManyRequestsException}, then the real handler
 *       (a fault-injecting task invoker in front of the Lambdas) — the Retry policy rides it out and the order ends
 *       with its business status; for the first four steps also as a mock-configuration test case
 *       ({@code #<State>Hiccup}: the same two errors, then a mocked answer);</li>
 *   <li>timeout: a mocked {@code States.Timeout} (Step Functions Local mock configuration, {@code #<State>Timeout});</li>
 *   <li>permanent: a mocked {@code Lambda.ServiceException} on every attempt ({@code #<State>Broken}), exhausting the
 *       retries.</li>
 * </ul>
 * A timeout or permanent fault compensates exactly what had happened (the history's ReleaseReservation and
 * VoidAuthorization results say RELEASED / VOIDED only where a reservation or authorization existed), leaves no
 * reservation or authorization behind in the simulated systems, stores the order FAILED and fails the execution.
 * Every case starts at once, so the retry back-off of all of them overlaps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkflowFaultInjectionTest {

    static final String BUCKET = "orderflow-orders-faults";
    static final String STATE_MACHINE = "orderflow-local-order-workflow";
    static final SecureRandom RANDOM = new SecureRandom();

    /** A Task state of the workflow, the payload that reaches it, and what that order ends as without faults. */
    enum Step {
        RECORD_RECEIVED("RecordReceived", "order-completed.json", "COMPLETED", false, false),
        VALIDATE_ORDER("ValidateOrder", "order-completed.json", "COMPLETED", false, false),
        RESERVE_INVENTORY("ReserveInventory", "order-completed.json", "COMPLETED", false, true),
        AUTHORIZE_PAYMENT("AuthorizePayment", "order-completed.json", "COMPLETED", true, false),
        MERGE_RESULTS("MergeResults", "order-completed.json", "COMPLETED", true, true),
        RELEASE_INVENTORY("ReleaseInventory", "order-payment-declined.json", "REJECTED", true, false),
        VOID_PAYMENT("VoidPayment", "order-out-of-stock.json", "REJECTED", false, true),
        PERSIST_ORDER("PersistFinalStatus", "order-completed.json", "COMPLETED", true, true);

        final String state;
        final String payload;
        final String businessStatus;
        /** Whether a reservation exists when the fault strikes (null: a parallel sibling may or may not have made it). */
        final Boolean reservedBefore;
        final Boolean authorizedBefore;

        Step(String state, String payload, String businessStatus, boolean reserved, boolean authorized) {
            this.state = state;
            this.payload = payload;
            this.businessStatus = businessStatus;
            // in the Parallel state the sibling branch races the failing one
            this.reservedBefore = state.equals("AuthorizePayment") ? null : reserved;
            this.authorizedBefore = state.equals("ReserveInventory") ? null : authorized;
        }
    }

    enum Fault { TRANSIENT, TRANSIENT_MOCKED, TIMEOUT, PERMANENT }

    /** What a mocked step answers after its mocked transient errors: the shape its real handler returns. */
    static final Map<Step, String> MOCKED_RESULTS = Map.of(
            Step.RECORD_RECEIVED, """
                    {"orderId":"mocked","status":"RECEIVED","key":"orders/mocked.json","versionId":"mocked"}""",
            Step.VALIDATE_ORDER, """
                    {"valid":true,"reasons":[]}""",
            Step.RESERVE_INVENTORY, """
                    {"orderId":"mocked","status":"RESERVED","reservationId":"res_mocked","unavailableSkus":[]}""",
            Step.AUTHORIZE_PAYMENT, """
                    {"orderId":"mocked","status":"AUTHORIZED","authorizationId":"auth_mocked"}""");

    record Run(Step step, Fault fault, String orderId, DescribeExecutionResponse described, List<HistoryEvent> history) {

        /** The errors of the state's failed or timed-out invocations, each traced back to its state through previousEventId. */
        List<String> failedTaskErrors(String state) {
            var byId = new java.util.HashMap<Long, HistoryEvent>();
            history.forEach(e -> byId.put(e.id(), e));
            var errors = new ArrayList<String>();
            for (var event : history) {
                var error = switch (event.type()) {
                    case LAMBDA_FUNCTION_FAILED -> event.lambdaFunctionFailedEventDetails().error();
                    case LAMBDA_FUNCTION_TIMED_OUT -> event.lambdaFunctionTimedOutEventDetails().error();
                    case TASK_FAILED -> event.taskFailedEventDetails().error();
                    case TASK_TIMED_OUT -> event.taskTimedOutEventDetails().error();
                    default -> null;
                };
                if (error == null) {
                    continue;
                }
                var cursor = event;
                while (cursor != null && cursor.stateEnteredEventDetails() == null) {
                    cursor = byId.get(cursor.previousEventId());
                }
                if (cursor != null && cursor.stateEnteredEventDetails().name().equals(state)) {
                    errors.add(error);
                }
            }
            return errors;
        }

        /** The result a state exited with, if it ran to its end. */
        Optional<JsonNode> exitOutput(String state) {
            return history.stream().map(HistoryEvent::stateExitedEventDetails).filter(Objects::nonNull)
                    .filter(d -> d.name().equals(state)).map(d -> readJson(d.output())).reduce((a, b) -> b);
        }
    }

    private LocalS3Server localS3;
    private S3Client s3;
    private StepFunctionsServer server;
    private SfnClient sfn;
    private String smArn;
    private final TransientFaults transientFaults = new TransientFaults();
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    @BeforeAll
    void startAllCases() throws Exception {
        localS3 = LocalS3Server.inMemory();
        s3 = localS3.newClient();
        OrdersBucket.ensure(s3, BUCKET);
        var lambdas = OrderflowFunctions.register(LocalLambdaInvoker.builder(), s3, BUCKET).build();
        transientFaults.delegate = lambdas;
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).taskInvoker(transientFaults)
                .mockConfig(MockConfig.parse(mockConfig())).build());
        sfn = SfnTestClients.sfn(server);
        var root = OrderWorkflowTest.repositoryRoot();
        var definition = DefinitionTemplate.render(Files.readString(root.resolve("statemachine/order-workflow.asl.json")),
                OrderflowFunctions.definitionSubstitutions(lambdas));
        smArn = sfn.createStateMachine(b -> b.name(STATE_MACHINE).definition(definition)
                .roleArn(StepFunctionsServerTest.ROLE)).stateMachineArn();

        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var started = new ArrayList<Future<Run>>();
            for (var step : Step.values()) {
                for (var fault : Fault.values()) {
                    if (fault != Fault.TRANSIENT_MOCKED || MOCKED_RESULTS.containsKey(step)) {
                        started.add(executor.submit(() -> run(root, step, fault)));
                    }
                }
            }
            for (var future : started) {
                var run = future.get();
                runs.put(run.step() + "/" + run.fault(), run);
            }
        }
    }

    @AfterAll
    void stop() throws IOException {
        if (sfn != null) {
            sfn.close();
        }
        if (server != null) {
            server.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (localS3 != null) {
            localS3.close();
        }
    }

    static Stream<Step> steps() {
        return Stream.of(Step.values());
    }

    static Stream<Step> mockedSteps() {
        return MOCKED_RESULTS.keySet().stream().sorted();
    }

    static Stream<Arguments> failingSteps() {
        return Stream.of(Step.values()).flatMap(step -> Stream.of(Arguments.of(step, Fault.TIMEOUT), Arguments.of(step, Fault.PERMANENT)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void transientFault_isRetried_andTheOrderEndsWithItsBusinessStatus(Step step) throws Exception {
        var run = runs.get(step + "/" + Fault.TRANSIENT);

        assertThat(run.described().status()).as(run.described().toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(run.failedTaskErrors(step.state)).containsExactly("Lambda.ServiceException", "Lambda.TooManyRequestsException");
        assertThat(storedStatuses(run.orderId())).containsExactly("RECEIVED", step.businessStatus);
        boolean completed = step.businessStatus.equals("COMPLETED");
        // a completed order keeps what it holds; a rejected one had its half undone
        assertThat(SimulatedInventory.shared().holdsReservation(run.orderId())).isEqualTo(completed);
        assertThat(SimulatedPaymentGateway.shared().holdsAuthorization(run.orderId())).isEqualTo(completed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mockedSteps")
    void mockedTransientFault_throwsTwiceThenAnswers_andTheRetriedOrderCompletes(Step step) {
        var run = runs.get(step + "/" + Fault.TRANSIENT_MOCKED);

        assertThat(run.described().status()).as(run.described().toString()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(run.failedTaskErrors(step.state)).containsExactly("Lambda.ServiceException", "Lambda.TooManyRequestsException");
        // the mocked answer stands in for the real handler, whose side effect (a stored RECEIVED, a reservation, an
        // authorization) therefore never happened
        assertThat(storedStatuses(run.orderId())).last().isEqualTo("COMPLETED");
        assertThat(run.exitOutput(step.state)).isPresent();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("failingSteps")
    void timeoutOrPermanentFault_compensatesWhatHappened_storesFailed_andFailsTheExecution(Step step, Fault fault) throws Exception {
        var run = runs.get(step + "/" + fault);
        var expectedError = fault == Fault.TIMEOUT ? "States.Timeout" : "Lambda.ServiceException";

        assertThat(run.described().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(run.described().error()).isEqualTo("OrderFailed");
        // States.Timeout is not retried; Lambda.ServiceException is, three times
        assertThat(run.failedTaskErrors(step.state)).hasSize(fault == Fault.TIMEOUT ? 1 : 4).containsOnly(expectedError);
        assertThat(storedStatuses(run.orderId()))
                .containsExactlyElementsOf(step == Step.RECORD_RECEIVED ? List.of("FAILED") : List.of("RECEIVED", "FAILED"));
        var failed = latestRecord(run.orderId());
        assertThat(failed.at("/failure/error").asText()).isEqualTo(expectedError);
        assertThat(failed.path("reason").asText()).isEqualTo("Technical failure: " + expectedError);

        var released = run.exitOutput("ReleaseReservation").orElseThrow().path("action").asText();
        var voided = run.exitOutput("VoidAuthorization").orElseThrow().path("action").asText();
        if (step.reservedBefore != null) {
            assertThat(released).isEqualTo(step.reservedBefore ? "RELEASED" : "NOTHING_TO_RELEASE");
        }
        if (step.authorizedBefore != null) {
            assertThat(voided).isEqualTo(step.authorizedBefore ? "VOIDED" : "NOTHING_TO_VOID");
        }
        assertThat(SimulatedInventory.shared().holdsReservation(run.orderId())).as("reservation left behind").isFalse();
        assertThat(SimulatedPaymentGateway.shared().holdsAuthorization(run.orderId())).as("authorization left behind").isFalse();
    }

    // ---- the cases ----

    private Run run(Path root, Step step, Fault fault) throws Exception {
        var orderId = newOrderId();
        var order = (ObjectNode) Json.mapper().readTree(Files.readString(root.resolve("test-payloads").resolve(step.payload)));
        order.put("orderId", orderId);
        var input = Json.mapper().createObjectNode();
        input.set("order", order);
        input.put("requestHash", "0".repeat(64));
        var target = switch (fault) {
            case TRANSIENT -> {
                transientFaults.plan(orderId, step.state, List.of("Lambda.ServiceException", "Lambda.TooManyRequestsException"));
                yield smArn;
            }
            case TRANSIENT_MOCKED -> smArn + "#" + step.state + "Hiccup";
            case TIMEOUT -> smArn + "#" + step.state + "Timeout";
            case PERMANENT -> smArn + "#" + step.state + "Broken";
        };
        var arn = sfn.startExecution(b -> b.stateMachineArn(target).name(orderId).input(input.toString())).executionArn();
        var described = SfnTestClients.awaitEnd(sfn, arn);
        var history = sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn)).events().stream().toList();
        return new Run(step, fault, orderId, described, history);
    }

    /** Two test cases per step in Step Functions Local's mock format: a timeout and a service that stays down. */
    private static String mockConfig() {
        var cases = new LinkedHashMap<String, Map<String, String>>();
        for (var step : Step.values()) {
            cases.put(step.state + "Timeout", Map.of(step.state, "TimedOut"));
            cases.put(step.state + "Broken", Map.of(step.state, "ServiceDown"));
            if (MOCKED_RESULTS.containsKey(step)) {
                cases.put(step.state + "Hiccup", Map.of(step.state, step.state + "Hiccup"));
            }
        }
        var config = Json.mapper().createObjectNode();
        config.putObject("StateMachines").putObject(STATE_MACHINE).set("TestCases", Json.mapper().valueToTree(cases));
        var responses = config.putObject("MockedResponses");
        // Lambda.ServiceException, then Lambda.TooManyRequestsException, then the step's answer
        MOCKED_RESULTS.forEach((step, result) -> {
            var hiccup = responses.putObject(step.state + "Hiccup");
            hiccup.putObject("0").putObject("Throw").put("Error", "Lambda.ServiceException").put("Cause", "mocked: Lambda hiccup");
            hiccup.putObject("1").putObject("Throw").put("Error", "Lambda.TooManyRequestsException").put("Cause", "mocked: throttled");
            hiccup.putObject("2").set("Return", readJson(result));
        });
        responses.putObject("TimedOut").putObject("0").putObject("Throw")
                .put("Error", "States.Timeout").put("Cause", "mocked: the task did not answer within its TimeoutSeconds");
        // past the last index the last response repeats: every retry fails too
        responses.putObject("ServiceDown").putObject("0").putObject("Throw")
                .put("Error", "Lambda.ServiceException").put("Cause", "mocked: Lambda is down");
        return config.toString();
    }

    /** Fails chosen invocations of one state of one execution with the given errors, then lets the real handler run. */
    static final class TransientFaults implements TaskInvoker {
        private record Plan(String state, List<String> errors, AtomicInteger used) {
        }

        private final Map<String, Plan> plans = new ConcurrentHashMap<>();
        private volatile TaskInvoker delegate;

        void plan(String executionName, String state, List<String> errors) {
            plans.put(executionName, new Plan(state, errors, new AtomicInteger()));
        }

        @Override
        public JsonNode invoke(String resource, JsonNode input, com.orderflow.local.engine.TaskContext context)
                throws TaskFailedException {
            var plan = plans.get(context.executionName());
            if (plan != null && plan.state().equals(context.stateName())) {
                int attempt = plan.used().getAndIncrement();
                if (attempt < plan.errors().size()) {
                    throw new TaskFailedException(plan.errors().get(attempt), "injected transient fault " + (attempt + 1));
                }
            }
            return delegate.invoke(resource, input, context);
        }
    }

    // ---- what the run left ----

    private List<String> storedStatuses(String orderId) {
        var key = "orders/" + orderId + ".json";
        return s3.listObjectVersions(b -> b.bucket(BUCKET).prefix(key)).versions().stream()
                .filter(v -> v.key().equals(key))
                .map(v -> readJson(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).versionId(v.versionId())).asUtf8String()))
                .sorted(Comparator.comparing(record -> Instant.parse(record.path("updatedAt").asText())))
                .map(record -> record.path("status").asText())
                .toList();
    }

    private JsonNode latestRecord(String orderId) {
        return readJson(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("orders/" + orderId + ".json")).asUtf8String());
    }

    private static JsonNode readJson(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static String newOrderId() {
        var alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
        var id = new StringBuilder("ord_");
        for (int i = 0; i < 26; i++) {
            id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
