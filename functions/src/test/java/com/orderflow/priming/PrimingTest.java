package com.orderflow.priming;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.orderflow.api.ApiConfig;
import com.orderflow.api.ApiHandler;
import com.orderflow.api.ids.SecureRandomOrderIdGenerator;
import com.orderflow.aws.AwsEnvironment;
import com.orderflow.order.OrderId;
import com.orderflow.order.inventory.SimulatedInventory;
import com.orderflow.order.payment.SimulatedPaymentGateway;
import com.orderflow.workflow.inventory.ReleaseInventoryHandler;
import com.orderflow.workflow.inventory.ReserveInventoryHandler;
import com.orderflow.workflow.merge.MergeResultsHandler;
import com.orderflow.workflow.payment.AuthorizePaymentHandler;
import com.orderflow.workflow.payment.VoidPaymentHandler;
import com.orderflow.workflow.persist.PersistOrderHandler;
import com.orderflow.workflow.validate.ValidateOrderHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SnapStart hooks, called directly as a CRaC checkpoint and restore would call them (these JDKs have no CRaC):
 * priming runs every handler's request path, sends nothing, and a restore renews the order-id random source.
 */
class PrimingTest {

    private static final String BUCKET = "orderflow-orders-test";
    private static final String STATE_MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:orderflow-test";

    private RecordingEndpoint endpoint;
    private final List<StoppedCall> stopped = new CopyOnWriteArrayList<>();

    /** A call the SDK gave up on, as signed: what would have gone on the wire. */
    record StoppedCall(String operation, String method, String path, String authorization, Throwable error) {
    }

    @BeforeEach
    void start() throws IOException {
        endpoint = new RecordingEndpoint();
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @Test
    void priming_sendsNothing_yetMarshalsAndSignsEveryCall() throws Exception {
        var api = apiHandler(new SecureRandomOrderIdGenerator(Clock.systemUTC()));
        var persist = new PersistOrderHandler(s3Client(), BUCKET, Clock.systemUTC());

        var apiReport = prime(api);
        var persistReport = prime(persist);

        assertThat(endpoint.received()).as("requests that reached the endpoint while priming").isEmpty();
        assertThat(apiReport.stoppedAtWire()).isEqualTo(5 * Priming.ROUNDS);
        assertThat(persistReport.stoppedAtWire()).isEqualTo(Priming.ROUNDS);
        assertThat(stopped).allSatisfy(call -> {
            assertThat(call.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=");
            assertThat(PrimingInterceptor.PrimedCallStopped.in(call.error())).isTrue();
        });
        assertThat(stopped).extracting(StoppedCall::operation).containsOnly(
                "ListObjectsV2Request", "GetObjectRequest", "ListObjectVersionsRequest", "StartExecutionRequest",
                "PutObjectRequest");
        assertThat(stopped).filteredOn(call -> call.operation().equals("PutObjectRequest"))
                .extracting(StoppedCall::method, StoppedCall::path)
                .containsOnly(org.assertj.core.groups.Tuple.tuple("PUT", "/" + BUCKET + "/orders/" + PrimingSamples.ORDER_ID + ".json"));
    }

    @Test
    void afterPriming_theSameClientsReachTheEndpoint() throws Exception {
        var api = apiHandler(new SecureRandomOrderIdGenerator(Clock.systemUTC()));
        prime(api);
        Priming.of(api).orElseThrow().afterRestore(null);

        var response = api.handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/orders")
                .withResource("/orders"), null);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(endpoint.received()).singleElement()
                .satisfies(r -> assertThat(r.pathAndQuery()).startsWith("/" + BUCKET + "?").contains("list-type=2"));
    }

    @Test
    void restoredHandlers_primedAlike_generateDifferentIds_fromRandomSourcesSeededAfterRestore() throws Exception {
        var firstIds = new SecureRandomOrderIdGenerator(Clock.systemUTC());
        var secondIds = new SecureRandomOrderIdGenerator(Clock.systemUTC());
        var first = apiHandler(firstIds);
        var second = apiHandler(secondIds);
        prime(first);
        prime(second);
        var primedRandom = randomOf(firstIds);
        assertThat(primedRandom).as("priming generated an id, so its random source exists in the snapshot").isNotNull();

        Priming.of(first).orElseThrow().afterRestore(null);
        Priming.of(second).orElseThrow().afterRestore(null);
        assertThat(randomOf(firstIds)).as("dropped by the restore").isNull();
        post(first);
        post(second);

        assertThat(randomOf(firstIds)).isNotNull().isNotSameAs(primedRandom);
        var names = endpoint.received().stream().filter(RecordingEndpoint.Received::changesState)
                .map(r -> r.body().replaceAll(".*\"name\":\"([^\"]+)\".*", "$1")).toList();
        assertThat(names).hasSize(2).allMatch(OrderId::isValid).doesNotHaveDuplicates();
        assertThat(Priming.of(first).orElseThrow().restores()).isEqualTo(1);
    }

    @Test
    void priming_runsEveryHandlersSamples_throughTheRuntimeMapping() {
        var inventory = SimulatedInventory.standard();
        var payments = SimulatedPaymentGateway.standard();
        Map<RequestHandler<?, ?>, int[]> expected = Map.of(
                // completed, stopped at the wire, failed (deliberately invalid input), per round
                new ValidateOrderHandler(), new int[] {2, 0, 0},
                new ReserveInventoryHandler(inventory), new int[] {1, 0, 1},
                new ReleaseInventoryHandler(inventory), new int[] {1, 0, 0},
                new AuthorizePaymentHandler(payments), new int[] {2, 0, 0},
                new VoidPaymentHandler(payments), new int[] {1, 0, 0},
                new MergeResultsHandler(), new int[] {3, 0, 0},
                new PersistOrderHandler(s3Client(), BUCKET, Clock.systemUTC()), new int[] {0, 1, 0},
                apiHandler(new SecureRandomOrderIdGenerator(Clock.systemUTC())), new int[] {4, 5, 0});

        expected.forEach((handler, perRound) -> {
            var report = prime(handler);
            assertThat(new int[] {report.completed(), report.stoppedAtWire(), report.failed()})
                    .as(handler.getClass().getSimpleName())
                    .containsExactly(perRound[0] * Priming.ROUNDS, perRound[1] * Priming.ROUNDS, perRound[2] * Priming.ROUNDS);
        });
        assertThat(inventory.holdsReservation(PrimingSamples.ORDER_ID)).isFalse();
        assertThat(payments.holdsAuthorization(PrimingSamples.ORDER_ID)).isFalse();
        assertThat(endpoint.received()).isEmpty();
    }

    @Test
    void everyHandlersLambdaConstructor_registersItsPriming() {
        List<Object> handlers = List.of(new ValidateOrderHandler(), new ReserveInventoryHandler(),
                new ReleaseInventoryHandler(), new AuthorizePaymentHandler(), new VoidPaymentHandler(),
                new MergeResultsHandler());
        assertThat(handlers).allSatisfy(handler -> assertThat(Priming.of(handler)).isPresent());
        assertThat(PrimingInterceptor.active()).isFalse();
    }

    private PrimingReport prime(RequestHandler<?, ?> handler) {
        var priming = Priming.of(handler).orElseThrow();
        priming.beforeCheckpoint(null);
        assertThat(PrimingInterceptor.active()).isFalse();
        return priming.lastReport();
    }

    private void post(ApiHandler handler) {
        var response = handler.handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath("/orders")
                .withResource("/orders").withHeaders(Map.of("Content-Type", "application/json"))
                .withBody("""
                        {"customer":{"id":"c-1","name":"Ada Lovelace","email":"ada@example.com"},"currency":"USD",
                         "items":[{"sku":"SKU-BOOK-001","quantity":1,"unitPrice":39.99}],"payment":{"token":"tok_visa"},
                         "total":39.99}"""), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
    }

    private ApiHandler apiHandler(SecureRandomOrderIdGenerator ids) {
        return new ApiHandler(new ApiConfig(BUCKET, STATE_MACHINE, null), s3Client(), sfnClient(), ids);
    }

    private S3Client s3Client() {
        var env = AwsEnvironment.from(Map.of(AwsEnvironment.S3_ENDPOINT_URL, endpoint.uri().toString()));
        // the Lambda's own client, plus a recorder of calls that failed; the priming interceptor comes from the classpath
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(env.s3EndpointOverride())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(recording())
                .build();
    }

    private SfnClient sfnClient() {
        return SfnClient.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(endpoint.uri())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(recording())
                .build();
    }

    private ClientOverrideConfiguration recording() {
        return ClientOverrideConfiguration.builder().addExecutionInterceptor(new ExecutionInterceptor() {
            @Override
            public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
                SdkRequest request = context.request();
                context.httpRequest().ifPresent(http -> stopped.add(new StoppedCall(request.getClass().getSimpleName(),
                        http.method().name(), http.encodedPath(), http.firstMatchingHeader("Authorization").orElse(""),
                        context.exception())));
            }
        }).build();
    }

    private static SecureRandom randomOf(SecureRandomOrderIdGenerator ids) throws ReflectiveOperationException {
        var field = SecureRandomOrderIdGenerator.class.getDeclaredField("random");
        field.setAccessible(true);
        return (SecureRandom) field.get(ids);
    }
}
