package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.OrderWorkflowTest.BUCKET;
import static com.orderflow.local.sfn.OrderWorkflowTest.ROOT;
import static com.orderflow.local.sfn.SfnTestClients.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.TaskContext;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.lambda.LocalLambdaInvoker;
import com.orderflow.local.lambda.OrderflowFunctions;
import com.orderflow.local.s3.LocalS3Server;
import com.orderflow.local.store.EventLog;
import com.orderflow.local.store.WorkflowStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionNotRedrivableException;
import software.amazon.awssdk.services.sfn.model.ExecutionRedriveFilter;
import software.amazon.awssdk.services.sfn.model.ExecutionRedriveStatus;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * RedriveExecution through the SDK: the real order workflow stopped while a payment authorization hangs, redriven
 * once it answers again (only the unfinished branch and what follows run); an order failed at its Fail state fails
 * there again; a Map redrives only its failed iterations; AWS's refusals, client tokens, the redrive fields of
 * DescribeExecution and ListExecutions, and a redrive that outlives a restart of the store.
 */
class RedriveExecutionTest {

    static final String MAP = """
            {"StartAt":"Each","States":{
              "Each":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"Charge","States":{
                "Charge":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:charge","End":true}}},
                "End":true}}}""";

    /** The real tasks, counted by state name; a state named in {@link #hang} waits until {@link #release}. */
    static final class GatedTasks implements TaskInvoker {
        final TaskInvoker real;
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        volatile String hang;
        final CountDownLatch reached = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        GatedTasks(TaskInvoker real) {
            this.real = real;
        }

        @Override
        public JsonNode invoke(String resource, JsonNode input, TaskContext context) throws TaskFailedException {
            calls.computeIfAbsent(context.stateName(), k -> new AtomicInteger()).incrementAndGet();
            if (context.stateName().equals(hang)) {
                reached.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new TaskFailedException("States.TaskFailed", "interrupted");
                }
            }
            return real.invoke(resource, input, context);
        }

        @Override
        public Optional<String> whyNotRunnable(String resource) {
            return real.whyNotRunnable(resource);
        }

        int calls(String state) {
            var n = calls.get(state);
            return n == null ? 0 : n.get();
        }
    }

    static final Set<Integer> BROKEN_ITEMS = ConcurrentHashMap.newKeySet();

    @TempDir
    Path dir;
    LocalS3Server localS3;
    S3Client s3;
    WorkflowStore store;
    GatedTasks tasks;
    StepFunctionsServer server;
    SfnClient sfn;
    String orderMachine;

    @BeforeEach
    void start() throws Exception {
        localS3 = LocalS3Server.inMemory();
        s3 = localS3.newClient();
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putBucketVersioning(b -> b.bucket(BUCKET)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        var lambdas = OrderflowFunctions.register(LocalLambdaInvoker.builder(), s3, BUCKET)
                .function("charge", JsonNode.class, (input, context) -> {
                    if (BROKEN_ITEMS.contains(input.asInt())) {
                        throw new IllegalStateException("card network down for item " + input.asInt());
                    }
                    return input.asInt() * 10;
                })
                .build();
        tasks = new GatedTasks(lambdas);
        startServer();
        var definition = DefinitionTemplate.render(Files.readString(ROOT.resolve("statemachine/order-workflow.asl.json")),
                OrderflowFunctions.definitionSubstitutions(lambdas));
        orderMachine = sfn.createStateMachine(b -> b.name("order-workflow").definition(definition)
                .roleArn(StepFunctionsServerTest.ROLE)).stateMachineArn();
    }

    private void startServer() throws Exception {
        store = WorkflowStore.open(dir, EventLog.Options.defaults());
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).store(store).taskInvoker(tasks).build());
        sfn = SfnTestClients.sfn(server);
    }

    private void stopServer() {
        sfn.close();
        server.close();
        store.close();
    }

    @AfterEach
    void stop() throws Exception {
        tasks.release.countDown();
        stopServer();
        s3.close();
        localS3.close();
    }

    @Test
    void orderStoppedWhilePaymentHangs_isRedriven_andCompletes_withoutRunningWhatCompletedAgain() throws Exception {
        // given: the payment authorization hangs, and the order is stopped meanwhile
        tasks.hang = "AuthorizePayment";
        var orderId = OrderWorkflowTest.newOrderId();
        var input = order(orderId, "order-completed.json");
        var arn = sfn.startExecution(b -> b.stateMachineArn(orderMachine).name(orderId).input(input)).executionArn();
        assertThat(tasks.reached.await(30, TimeUnit.SECONDS)).isTrue();
        awaitExited(arn, "ReserveInventory");
        sfn.stopExecution(b -> b.executionArn(arn).error("Operator.Stop").cause("gateway hangs"));
        var stopped = awaitEnd(sfn, arn);
        assertThat(stopped.status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(stopped.redriveStatus()).isEqualTo(ExecutionRedriveStatus.REDRIVABLE);
        assertThat(stopped.redriveCount()).isZero();

        // when: the gateway answers again and the execution is redriven
        tasks.hang = null;
        tasks.release.countDown();
        var redriven = sfn.redriveExecution(b -> b.executionArn(arn));
        var described = awaitEnd(sfn, arn);

        // then
        assertThat(described.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(described.redriveCount()).isEqualTo(1);
        assertThat(described.redriveDate()).isEqualTo(redriven.redriveDate());
        assertThat(described.redriveStatus()).isEqualTo(ExecutionRedriveStatus.NOT_REDRIVABLE);
        assertThat(described.redriveStatusReason()).isEqualTo("Execution is SUCCEEDED and cannot be redriven");
        assertThat(statuses(orderId)).containsExactly("RECEIVED", "COMPLETED");
        assertThat(tasks.calls("RecordReceived")).isEqualTo(1);
        assertThat(tasks.calls("ValidateOrder")).isEqualTo(1);
        assertThat(tasks.calls("ReserveInventory")).as("the branch that completed is not run again").isEqualTo(1);
        assertThat(tasks.calls("AuthorizePayment")).isEqualTo(2);
        var history = history(arn);
        var redrive = history.stream().filter(e -> e.type() == HistoryEventType.EXECUTION_REDRIVEN).toList();
        assertThat(redrive).singleElement().satisfies(e -> {
            assertThat(e.executionRedrivenEventDetails().redriveCount()).isEqualTo(1);
            assertThat(e.previousEventId()).isEqualTo(e.id() - 1);
        });
        var after = history.subList(history.indexOf(redrive.getFirst()), history.size());
        assertThat(after).extracting(HistoryEvent::type).startsWith(HistoryEventType.EXECUTION_REDRIVEN,
                HistoryEventType.TASK_STATE_ENTERED).endsWith(HistoryEventType.EXECUTION_SUCCEEDED)
                .doesNotContain(HistoryEventType.PARALLEL_STATE_ENTERED);
        assertThat(after.get(1).stateEnteredEventDetails().name()).isEqualTo("AuthorizePayment");
        assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn(arn)))
                .isInstanceOf(ExecutionNotRedrivableException.class)
                .hasMessageContaining("Execution is SUCCEEDED and cannot be redriven");

        // and: the listings tell redriven executions apart
        var redrivenList = sfn.listExecutions(b -> b.stateMachineArn(orderMachine).redriveFilter(ExecutionRedriveFilter.REDRIVEN));
        assertThat(redrivenList.executions()).singleElement().satisfies(e -> {
            assertThat(e.executionArn()).isEqualTo(arn);
            assertThat(e.redriveCount()).isEqualTo(1);
            assertThat(e.redriveDate()).isEqualTo(redriven.redriveDate());
        });
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(orderMachine)
                .redriveFilter(ExecutionRedriveFilter.NOT_REDRIVEN)).executions()).isEmpty();
    }

    @Test
    void orderThatFailedAtItsFailState_failsThereAgain_withoutInvokingAnyFunction() throws Exception {
        var orderId = OrderWorkflowTest.newOrderId();
        var input = order(orderId, "order-payment-gateway-error.json");
        var arn = sfn.startExecution(b -> b.stateMachineArn(orderMachine).name(orderId).input(input)).executionArn();
        assertThat(awaitEnd(sfn, arn).status()).isEqualTo(ExecutionStatus.FAILED);
        int invocations = tasks.calls.values().stream().mapToInt(AtomicInteger::get).sum();

        sfn.redriveExecution(b -> b.executionArn(arn));
        var described = awaitEnd(sfn, arn);

        assertThat(described.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(described.error()).isEqualTo("OrderFailed");
        assertThat(described.redriveStatus()).isEqualTo(ExecutionRedriveStatus.REDRIVABLE);
        assertThat(tasks.calls.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(invocations);
        var history = history(arn);
        var redrive = history.stream().filter(e -> e.type() == HistoryEventType.EXECUTION_REDRIVEN).findFirst().orElseThrow();
        assertThat(history.subList(history.indexOf(redrive), history.size())).extracting(HistoryEvent::type)
                .containsExactly(HistoryEventType.EXECUTION_REDRIVEN, HistoryEventType.FAIL_STATE_ENTERED,
                        HistoryEventType.EXECUTION_FAILED);
        assertThat(statuses(orderId)).containsExactly("RECEIVED", "FAILED");
    }

    @Test
    void mapRedrive_runsOnlyTheFailedIterations_isRunningMeanwhile_andSurvivesARestartOfTheStore() throws Exception {
        var machine = sfn.createStateMachine(b -> b.name("charges").definition(MAP).roleArn(StepFunctionsServerTest.ROLE))
                .stateMachineArn();
        BROKEN_ITEMS.addAll(List.of(2, 4));
        var arn = sfn.startExecution(b -> b.stateMachineArn(machine).input("{\"items\":[1,2,3,4]}")).executionArn();
        var failed = awaitEnd(sfn, arn);
        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        int chargesBefore = tasks.calls("Charge");

        // the store restarts between the failure and the redrive: the redrive reads the durable history
        stopServer();
        startServer();
        BROKEN_ITEMS.clear();
        tasks.hang = "Charge";
        var redriveDate = sfn.redriveExecution(b -> b.executionArn(arn).clientToken("fix-1")).redriveDate();
        assertThat(tasks.reached.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sfn.describeExecution(b -> b.executionArn(arn)).status()).isEqualTo(ExecutionStatus.RUNNING);
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.RUNNING))
                .executions()).extracting(e -> e.executionArn()).containsExactly(arn);
        // the same client token is answered as before and redrives nothing more
        assertThat(sfn.redriveExecution(b -> b.executionArn(arn).clientToken("fix-1")).redriveDate()).isEqualTo(redriveDate);
        assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn(arn).clientToken("fix-2")))
                .isInstanceOf(ExecutionNotRedrivableException.class)
                .hasMessageContaining("Execution is RUNNING and cannot be redriven");
        tasks.release.countDown();
        var described = awaitEnd(sfn, arn);

        assertThat(described.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(Json.mapper().readTree(described.output())).isEqualTo(Json.mapper().readTree("[10,20,30,40]"));
        var events = history(arn);
        var redrive = events.stream().filter(e -> e.type() == HistoryEventType.EXECUTION_REDRIVEN).findFirst().orElseThrow();
        int succeededBefore = (int) events.subList(0, events.indexOf(redrive)).stream()
                .filter(e -> e.type() == HistoryEventType.MAP_ITERATION_SUCCEEDED).count();
        assertThat(tasks.calls("Charge") - chargesBefore).as("charges run again: those that did not succeed")
                .isEqualTo(4 - succeededBefore).isGreaterThanOrEqualTo(2);
        assertThat(history(arn)).filteredOn(e -> e.type() == HistoryEventType.EXECUTION_REDRIVEN).hasSize(1);

        // and after another restart the execution reads back as it ended
        stopServer();
        startServer();
        var reread = sfn.describeExecution(b -> b.executionArn(arn));
        assertThat(reread.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(reread.redriveCount()).isEqualTo(1);
        assertThat(reread.redriveDate()).isEqualTo(redriveDate);
    }

    @Test
    void refusals_areAwsErrors() {
        var unknown = orderMachine.replace(":stateMachine:", ":execution:") + ":nope";
        assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn(unknown)))
                .isInstanceOf(ExecutionDoesNotExistException.class);
        assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn("arn:aws:states:us-east-1:000000000000:thing")))
                .isInstanceOf(InvalidArnException.class);
        assertThatThrownBy(() -> sfn.listExecutions(b -> b.stateMachineArn(orderMachine).redriveFilter("SOMETIMES")))
                .isInstanceOf(SfnException.class).hasMessageContaining("redriveFilter");
    }

    /** Waits until the history shows the state exited (a bound, not a timing assertion). */
    private void awaitExited(String arn, String state) throws InterruptedException {
        var deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (history(arn).stream().noneMatch(e -> e.stateExitedEventDetails() != null
                && e.stateExitedEventDetails().name().equals(state))) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(state + " did not exit");
            }
            Thread.sleep(10);
        }
    }

    private List<HistoryEvent> history(String arn) {
        return sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn)).events().stream().toList();
    }

    private List<String> statuses(String orderId) {
        var key = "orders/" + orderId + ".json";
        return s3.listObjectVersions(b -> b.bucket(BUCKET).prefix(key)).versions().stream()
                .map(v -> readJson(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).versionId(v.versionId())).asByteArray()))
                .sorted(java.util.Comparator.comparing(r -> Instant.parse(r.path("updatedAt").asText())))
                .map(r -> r.path("status").asText())
                .toList();
    }

    private static JsonNode readJson(byte[] bytes) {
        try {
            return Json.mapper().readTree(bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String order(String orderId, String payload) throws Exception {
        var order = (ObjectNode) Json.mapper().readTree(Files.readString(ROOT.resolve("test-payloads").resolve(payload)));
        order.put("orderId", orderId);
        var input = Json.mapper().createObjectNode();
        input.set("order", order);
        input.put("requestHash", "0".repeat(64));
        return input.toString();
    }
}
