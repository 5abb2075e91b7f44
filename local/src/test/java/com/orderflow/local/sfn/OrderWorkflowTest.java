package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.SfnTestClients.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.lambda.LocalLambdaInvoker;
import com.orderflow.local.lambda.OrderflowFunctions;
import com.orderflow.order.inventory.SimulatedInventory;
import com.orderflow.order.payment.PaymentGatewayUnavailableException;
import com.orderflow.order.payment.SimulatedPaymentGateway;
import com.orderflow.local.s3.LocalS3Server;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * The real {@code statemachine/order-workflow.asl.json} with the real handlers, through the Step Functions
 * API, persisting to the local S3: every documented outcome, a retried transient fault, a fault that survives
 * the retries, and mock-configuration variants.
 */
class OrderWorkflowTest {

    static final String BUCKET = "orderflow-orders-test";
    static final String STATE_MACHINE = "orderflow-local-order-workflow";
    static final String MOCKS = """
            {"StateMachines":{"%s":{"TestCases":{
                "PaymentServiceHiccup":{"AuthorizePayment":"ServiceExceptionTwiceThenAuthorized"},
                "WarehouseEmpty":{"ReserveInventory":"OutOfStock"}}}},
             "MockedResponses":{
                "ServiceExceptionTwiceThenAuthorized":{
                  "0-1":{"Throw":{"Error":"Lambda.ServiceException","Cause":"Lambda is having a moment"}},
                  "2":{"Return":{"orderId":"mocked","status":"AUTHORIZED","authorizationId":"auth_mocked"}}},
                "OutOfStock":{
                  "0":{"Return":{"orderId":"mocked","status":"OUT_OF_STOCK","unavailableSkus":["SKU-BOOK-001"]}}}}}
            """.formatted(STATE_MACHINE);

    static final Path ROOT = repositoryRoot();
    static final SecureRandom RANDOM = new SecureRandom();

    static LocalS3Server localS3;
    static S3Client s3;
    static StepFunctionsServer server;
    static SfnClient sfn;
    static String smArn;

    @BeforeAll
    static void start() throws IOException {
        localS3 = LocalS3Server.inMemory();
        s3 = localS3.newClient();
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.putBucketVersioning(b -> b.bucket(BUCKET)
                .versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));

        var lambdas = OrderflowFunctions.register(LocalLambdaInvoker.builder(), s3, BUCKET).build();
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).taskInvoker(lambdas)
                .mockConfig(MockConfig.parse(MOCKS)).build());
        sfn = SfnTestClients.sfn(server);
        var definition = DefinitionTemplate.render(
                Files.readString(ROOT.resolve("statemachine/order-workflow.asl.json")),
                OrderflowFunctions.definitionSubstitutions(lambdas));
        smArn = sfn.createStateMachine(b -> b.name(STATE_MACHINE).definition(definition)
                .roleArn(StepFunctionsServerTest.ROLE)).stateMachineArn();
    }

    @AfterAll
    static void stop() throws IOException {
        sfn.close();
        server.close();
        s3.close();
        localS3.close();
    }

    @Test
    void validOrder_completes_andStoresReceivedThenCompleted() throws Exception {
        var run = run("order-completed.json", null);

        assertThat(run.described().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(storedStatuses(run.orderId())).containsExactly("RECEIVED", "COMPLETED");
        assertThat(run.statesEntered()).contains("ReserveInventory", "AuthorizePayment", "MergeResults")
                .doesNotContain("ReleaseInventory", "VoidPayment", "CompensateAfterFailure");
        assertThat(SimulatedInventory.shared().holdsReservation(run.orderId())).isTrue();
        assertThat(SimulatedPaymentGateway.shared().holdsAuthorization(run.orderId())).isTrue();
        assertThat(latestRecord(run.orderId()).get("executionArn").asText()).isEqualTo(run.executionArn());
    }

    @Test
    void invalidOrder_isRejected_withoutReservingOrCharging() throws Exception {
        var run = run("order-invalid.json", null);

        assertThat(run.described().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(storedStatuses(run.orderId())).containsExactly("RECEIVED", "REJECTED");
        assertThat(run.statesEntered()).contains("RejectInvalidOrder")
                .doesNotContain("ReserveInventory", "AuthorizePayment");
    }

    @Test
    void outOfStock_isRejected_andVoidsTheAuthorization() throws Exception {
        var run = run("order-out-of-stock.json", null);

        assertThat(run.described().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(storedStatuses(run.orderId())).containsExactly("RECEIVED", "REJECTED");
        assertThat(run.statesEntered()).contains("VoidPayment").doesNotContain("ReleaseInventory");
        assertThat(SimulatedPaymentGateway.shared().holdsAuthorization(run.orderId())).isFalse();
    }

    @Test
    void declinedPayment_isRejected_andReleasesTheReservation() throws Exception {
        var run = run("order-payment-declined.json", null);

        assertThat(run.described().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(storedStatuses(run.orderId())).containsExactly("RECEIVED", "REJECTED");
        assertThat(run.statesEntered()).contains("ReleaseInventory").doesNotContain("VoidPayment");
        assertThat(SimulatedInventory.shared().holdsReservation(run.orderId())).isFalse();
    }

    @Test
    void transientGatewayFault_isRetried_untilTheOrderCompletes() throws Exception {
        var run = run("order-payment-flaky.json", null);

        assertThat(run.described().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(storedStatuses(run.orderId())).containsExactly("RECEIVED", "COMPLETED");
        assertThat(run.history()).filteredOn(e -> e.type() == HistoryEventType.LAMBDA_FUNCTION_FAILED)
                .hasSize(SimulatedPaymentGateway.FLAKY_FAILED_ATTEMPTS)
                .allSatisfy(e -> assertThat(e.lambdaFunctionFailedEventDetails().error())
                        .isEqualTo(PaymentGatewayUnavailableException.class.getName()));
    }

    @Test
    void faultThatSurvivesRetries_compensatesBothSides_storesFailed_andFailsTheExecution() throws Exception {
        var run = run("order-payment-gateway-error.json", null);

        assertThat(run.described().status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(run.described().error()).isEqualTo("OrderFailed");
        assertThat(storedStatuses(run.orderId())).containsExactly("RECEIVED", "FAILED");
        assertThat(run.statesEntered()).contains("CompensateAfterFailure", "ReleaseReservation", "VoidAuthorization",
                "PersistFailed");
        assertThat(SimulatedInventory.shared().holdsReservation(run.orderId())).isFalse();
        assertThat(latestRecord(run.orderId()).path("reason").asText()).contains("PaymentGatewayException");
    }

    @Test
    void mockedLambdaServiceExceptions_areRetried_andTheMockedAuthorizationCompletesTheOrder() throws Exception {
        var run = run("order-completed.json", "PaymentServiceHiccup");

        assertThat(run.described().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(storedStatuses(run.orderId())).containsExactly("RECEIVED", "COMPLETED");
        assertThat(run.history()).filteredOn(e -> e.type() == HistoryEventType.LAMBDA_FUNCTION_FAILED).hasSize(2)
                .allSatisfy(e -> assertThat(e.lambdaFunctionFailedEventDetails().error())
                        .isEqualTo("Lambda.ServiceException"));
        assertThat(latestRecord(run.orderId()).at("/payment/authorizationId").asText()).isEqualTo("auth_mocked");
        assertThat(SimulatedPaymentGateway.shared().holdsAuthorization(run.orderId())).isFalse();
    }

    @Test
    void mockedOutOfStock_withARealAuthorization_voidsThePayment() throws Exception {
        var run = run("order-completed.json", "WarehouseEmpty");

        assertThat(run.described().status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(storedStatuses(run.orderId())).containsExactly("RECEIVED", "REJECTED");
        assertThat(run.statesEntered()).contains("VoidPayment");
        assertThat(SimulatedPaymentGateway.shared().holdsAuthorization(run.orderId())).isFalse();
        assertThat(SimulatedInventory.shared().holdsReservation(run.orderId())).isFalse();
    }

    record Run(String orderId, String executionArn, DescribeExecutionResponse described, List<HistoryEvent> history) {

        List<String> statesEntered() {
            return history.stream().map(HistoryEvent::stateEnteredEventDetails).filter(Objects::nonNull)
                    .map(d -> d.name()).toList();
        }
    }

    /** Starts the workflow on a test payload (with a fresh order id), as the API does, and waits for its end. */
    static Run run(String payload, String testCase) throws Exception {
        var orderId = newOrderId();
        var order = (ObjectNode) Json.mapper().readTree(Files.readString(ROOT.resolve("test-payloads").resolve(payload)));
        order.put("orderId", orderId);
        var input = Json.mapper().createObjectNode();
        input.set("order", order);
        input.put("requestHash", "0".repeat(64));
        var target = testCase == null ? smArn : smArn + "#" + testCase;

        var arn = sfn.startExecution(b -> b.stateMachineArn(target).name(orderId).input(input.toString())).executionArn();
        var described = awaitEnd(sfn, arn);
        var history = sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn)).events().stream().toList();
        return new Run(orderId, arn, described, history);
    }

    /** The statuses of every stored version of the order, oldest first. */
    static List<String> storedStatuses(String orderId) {
        var key = "orders/" + orderId + ".json";
        return s3.listObjectVersions(b -> b.bucket(BUCKET).prefix(key)).versions().stream()
                .filter(v -> v.key().equals(key))
                .map(v -> readVersion(key, v))
                // S3's lastModified has whole seconds only; the record's own time orders versions written together
                .sorted(Comparator.comparing(record -> Instant.parse(record.path("updatedAt").asText())))
                .map(record -> record.path("status").asText())
                .toList();
    }

    static JsonNode latestRecord(String orderId) throws IOException {
        return Json.mapper().readTree(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key("orders/" + orderId + ".json"))
                .asByteArray());
    }

    static JsonNode readVersion(String key, ObjectVersion version) {
        try {
            return Json.mapper().readTree(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)
                    .versionId(version.versionId())).asByteArray());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String newOrderId() {
        var alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
        var id = new StringBuilder("ord_");
        for (int i = 0; i < 26; i++) {
            id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return id.toString();
    }

    static Path repositoryRoot() {
        var dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("statemachine/order-workflow.asl.json"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("statemachine/order-workflow.asl.json not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    static int freePort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
