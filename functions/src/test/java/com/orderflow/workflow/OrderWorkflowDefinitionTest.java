package com.orderflow.workflow;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import com.orderflow.order.payment.PaymentGatewayUnavailableException;
import com.orderflow.order.payment.SimulatedPaymentGateway;
import com.orderflow.workflow.inventory.ReleaseInventoryHandler;
import com.orderflow.workflow.inventory.ReserveInventoryHandler;
import com.orderflow.workflow.merge.MergeResultsHandler;
import com.orderflow.workflow.payment.AuthorizePaymentHandler;
import com.orderflow.workflow.payment.VoidPaymentHandler;
import com.orderflow.workflow.persist.PersistOrderHandler;
import com.orderflow.workflow.validate.ValidateOrderHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** Structural checks of the real statemachine/order-workflow.asl.json. */
class OrderWorkflowDefinitionTest {

    static final Path ASL = Path.of("..", "statemachine", "order-workflow.asl.json");

    /** Placeholder name → the handler the function runs. */
    static final Map<String, Class<?>> FUNCTIONS = Map.of(
            "ValidateOrderFunctionArn", ValidateOrderHandler.class,
            "ReserveInventoryFunctionArn", ReserveInventoryHandler.class,
            "ReleaseInventoryFunctionArn", ReleaseInventoryHandler.class,
            "AuthorizePaymentFunctionArn", AuthorizePaymentHandler.class,
            "VoidPaymentFunctionArn", VoidPaymentHandler.class,
            "MergeResultsFunctionArn", MergeResultsHandler.class,
            "PersistOrderFunctionArn", PersistOrderHandler.class);

    static final List<String> LAMBDA_ERRORS = List.of("Lambda.ServiceException", "Lambda.AWSLambdaException",
            "Lambda.SdkClientException", "Lambda.TooManyRequestsException");
    static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{(\\w+)}$");

    static JsonNode definition;
    /** Every state at every nesting level, by name (names are unique machine-wide). */
    static final Map<String, JsonNode> ALL_STATES = new LinkedHashMap<>();
    /** State name → the name of the Parallel state whose branch holds it (absent for top-level states). */
    static final Map<String, String> ENCLOSING_PARALLEL = new LinkedHashMap<>();
    static final List<String> DUPLICATE_NAMES = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        definition = Json.mapper().readTree(Files.readString(ASL));
        collect(definition.get("States"), null);
    }

    private static void collect(JsonNode states, String parallel) {
        states.properties().forEach(e -> {
            if (ALL_STATES.put(e.getKey(), e.getValue()) != null) {
                DUPLICATE_NAMES.add(e.getKey());
            }
            if (parallel != null) {
                ENCLOSING_PARALLEL.put(e.getKey(), parallel);
            }
            if (e.getValue().has("Branches")) {
                e.getValue().get("Branches").forEach(b -> collect(b.get("States"), e.getKey()));
            }
        });
    }

    private static Map<String, JsonNode> tasks() {
        var tasks = new LinkedHashMap<String, JsonNode>();
        ALL_STATES.forEach((name, s) -> {
            if ("Task".equals(s.path("Type").asText())) {
                tasks.put(name, s);
            }
        });
        return tasks;
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    @Test
    void isJsonPathWithAnExistingStartState_andUniqueStateNames() {
        assertThat(definition.path("QueryLanguage").asText()).isEqualTo("JSONPath");
        assertThat(definition.path("States").has(definition.path("StartAt").asText())).isTrue();
        assertThat(definition.path("Comment").asText()).isNotBlank();
        assertThat(DUPLICATE_NAMES).isEmpty();
        assertThat(ALL_STATES).allSatisfy((name, s) -> assertThat(s.path("Comment").asText()).as(name).isNotBlank());
    }

    @Test
    void everyTransitionTarget_existsInItsOwnScope() {
        checkScope(definition);
    }

    private static void checkScope(JsonNode machine) {
        var states = machine.get("States");
        assertThat(states.has(machine.get("StartAt").asText())).isTrue();
        states.properties().forEach(e -> {
            var s = e.getValue();
            var targets = new ArrayList<String>();
            if (s.has("Next")) {
                targets.add(s.get("Next").asText());
            }
            if (s.has("Default")) {
                targets.add(s.get("Default").asText());
            }
            s.path("Choices").forEach(c -> targets.add(c.get("Next").asText()));
            s.path("Catch").forEach(c -> targets.add(c.get("Next").asText()));
            assertThat(targets).as("targets of " + e.getKey()).allSatisfy(t -> assertThat(states.has(t)).as(t).isTrue());
            var type = s.get("Type").asText();
            var terminal = Set.of("Succeed", "Fail").contains(type) || s.path("End").asBoolean(false);
            assertThat(terminal || s.has("Next") || type.equals("Choice")).as(e.getKey() + " ends or moves on").isTrue();
            s.path("Branches").forEach(OrderWorkflowDefinitionTest::checkScope);
        });
    }

    @Test
    void everyTask_invokesOneOfTheSevenFunctions_andAllSevenAreUsed() {
        var used = new HashSet<String>();
        tasks().forEach((name, task) -> {
            var m = PLACEHOLDER.matcher(task.path("Resource").asText());
            assertThat(m.matches()).as(name + " Resource is a placeholder").isTrue();
            assertThat(FUNCTIONS).as(name).containsKey(m.group(1));
            used.add(m.group(1));
        });
        assertThat(used).containsExactlyInAnyOrderElementsOf(FUNCTIONS.keySet());
    }

    @Test
    void everyTask_hasATimeout_andRetriesTheFourLambdaErrorsWithBackoffAndJitter() {
        assertThat(tasks()).isNotEmpty().allSatisfy((name, task) -> {
            assertThat(task.path("TimeoutSeconds").asInt()).as(name + " TimeoutSeconds").isBetween(1, 900);
            var lambdaRetry = StreamSupport.stream(task.path("Retry").spliterator(), false)
                    .filter(r -> texts(r.get("ErrorEquals")).containsAll(LAMBDA_ERRORS))
                    .findFirst();
            assertThat(lambdaRetry).as(name + " retries the Lambda errors").isPresent();
            var r = lambdaRetry.get();
            assertThat(r.path("IntervalSeconds").asInt()).isPositive();
            assertThat(r.path("BackoffRate").asDouble()).isGreaterThanOrEqualTo(1.0);
            assertThat(r.path("MaxAttempts").asInt()).isPositive();
            assertThat(r.path("MaxDelaySeconds").asInt()).isGreaterThanOrEqualTo(r.path("IntervalSeconds").asInt());
            assertThat(r.path("JitterStrategy").asText()).isEqualTo("FULL");
        });
    }

    @Test
    void everyErrorName_isAStatesOrLambdaError_orAnExceptionClassThatExists() throws ClassNotFoundException {
        var names = new HashSet<String>();
        for (var s : ALL_STATES.values()) {
            for (var field : List.of("Retry", "Catch")) {
                s.path(field).forEach(r -> names.addAll(texts(r.get("ErrorEquals"))));
            }
        }
        for (var name : names) {
            if (name.startsWith("States.") || name.startsWith("Lambda.")) {
                continue;
            }
            assertThat(Throwable.class.isAssignableFrom(Class.forName(name))).as(name).isTrue();
        }
        assertThat(names).contains(PaymentGatewayUnavailableException.class.getName());
    }

    @Test
    void authorizePayment_passesTheRetryCount_andRetriesTheTransientErrorLongEnoughForTheFlakyToken() {
        var task = ALL_STATES.get("AuthorizePayment");

        assertThat(task.path("Parameters").path("attempt.$").asText()).isEqualTo("$$.State.RetryCount");
        var transientRetry = StreamSupport.stream(task.path("Retry").spliterator(), false)
                .filter(r -> texts(r.get("ErrorEquals")).contains(PaymentGatewayUnavailableException.class.getName()))
                .findFirst().orElseThrow();
        assertThat(transientRetry.path("MaxAttempts").asInt())
                .isGreaterThanOrEqualTo(SimulatedPaymentGateway.FLAKY_FAILED_ATTEMPTS);
        assertThat(texts(transientRetry.get("ErrorEquals"))).doesNotContain("States.ALL");
    }

    @Test
    void everyTopLevelTaskAndParallel_catchesEverything_onAPathThroughPersistFailedToAFailState() {
        var top = definition.get("States");
        top.properties().forEach(e -> {
            var type = e.getValue().get("Type").asText();
            if (!type.equals("Task") && !type.equals("Parallel")) {
                return;
            }
            var catchAll = StreamSupport.stream(e.getValue().path("Catch").spliterator(), false)
                    .filter(c -> texts(c.get("ErrorEquals")).contains("States.ALL"))
                    .findFirst();
            assertThat(catchAll).as(e.getKey() + " catches States.ALL").isPresent();
            var reachable = reachableFrom(catchAll.get().get("Next").asText(), top);
            if (!e.getKey().equals("PersistFailed")) {
                assertThat(reachable).as("after a failure in " + e.getKey()).contains("PersistFailed");
            }
            assertThat(reachable.stream().filter(n -> top.get(n).get("Type").asText().equals("Fail")))
                    .as("a Fail state after " + e.getKey()).isNotEmpty();
        });
        assertThat(reachableFrom("PersistFailed", top)).noneMatch(n -> top.get(n).get("Type").asText().equals("Succeed"));
    }

    @Test
    void tasksInsideParallelBranches_areCoveredByTheirParallelsCatch() {
        ENCLOSING_PARALLEL.forEach((state, parallel) -> assertThat(
                texts(ALL_STATES.get(parallel).path("Catch").path(0).path("ErrorEquals")))
                .as(state + " inside " + parallel).contains("States.ALL"));
        assertThat(ENCLOSING_PARALLEL).containsKeys("ReserveInventory", "AuthorizePayment");
    }

    @Test
    void catchesOnTheMainPath_keepTheStateAndPutTheErrorInFailure() {
        var top = definition.get("States");
        top.properties().forEach(e -> e.getValue().path("Catch").forEach(c -> {
            if (c.get("Next").asText().equals("CompensateAfterFailure")) {
                assertThat(c.path("ResultPath").asText()).as(e.getKey()).isEqualTo("$.failure");
            }
        }));
        assertThat(top.get("OrderFailed").path("Error").asText()).isEqualTo("OrderFailed");
        assertThat(top.get("OrderFailed").path("Cause").asText()).isNotBlank();
    }

    @Test
    void taskParameters_nameOnlyFieldsOfTheHandlersInputRecord() {
        tasks().forEach((name, task) -> {
            var m = PLACEHOLDER.matcher(task.path("Resource").asText());
            assertThat(m.matches()).isTrue();
            var inputType = inputTypeOf(FUNCTIONS.get(m.group(1)));
            var fields = Arrays.stream(inputType.getRecordComponents()).map(c -> c.getName()).toList();
            var keys = new ArrayList<String>();
            task.path("Parameters").properties().forEach(p -> keys.add(p.getKey().replaceFirst("\\.\\$$", "")));
            assertThat(fields).as(name + " → " + inputType.getSimpleName()).containsAll(keys);
        });
    }

    @Test
    void persistStates_recordReceivedFirst_andTheFinalStatusWithTheExecutionArn() {
        var start = definition.get("States").get(definition.get("StartAt").asText());
        assertThat(start.get("Resource").asText()).isEqualTo("${PersistOrderFunctionArn}");
        assertThat(start.at("/Parameters/outcome/status").asText()).isEqualTo("RECEIVED");
        for (var name : List.of("RecordReceived", "PersistFinalStatus", "PersistFailed")) {
            assertThat(ALL_STATES.get(name).at("/Parameters/executionArn.$").asText()).as(name).isEqualTo("$$.Execution.Id");
        }
        assertThat(ALL_STATES.get("PersistFailed").at("/Parameters/outcome/status").asText()).isEqualTo("FAILED");
    }

    static Class<?> inputTypeOf(Class<?> handler) {
        for (var type : handler.getGenericInterfaces()) {
            if (type instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                return (Class<?>) p.getActualTypeArguments()[0];
            }
        }
        throw new AssertionError(handler + " is not a RequestHandler");
    }

    private static Set<String> reachableFrom(String start, JsonNode states) {
        var seen = new HashSet<String>();
        var todo = new ArrayDeque<String>(List.of(start));
        while (!todo.isEmpty()) {
            var name = todo.pop();
            if (!seen.add(name)) {
                continue;
            }
            var s = states.get(name);
            if (s.has("Next")) {
                todo.push(s.get("Next").asText());
            }
            if (s.has("Default")) {
                todo.push(s.get("Default").asText());
            }
            s.path("Choices").forEach(c -> todo.push(c.get("Next").asText()));
            s.path("Catch").forEach(c -> todo.push(c.get("Next").asText()));
        }
        return seen;
    }
}
