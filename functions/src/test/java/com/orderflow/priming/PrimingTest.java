package com.orderflow.priming;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.orderflow.api.ApiConfig;
import com.orderflow.api.ApiHandler;
import com.orderflow.api.ids.SecureRandomOrderIdGenerator;
import com.orderflow.aws.AwsEnvironment;
import com.orderflow.order.PrimingOrders;
import com.orderflow.order.inventory.SimulatedInventory;
import com.orderflow.order.payment.SimulatedPaymentGateway;
import com.orderflow.workflow.PersistOrderInput;
import com.orderflow.workflow.inventory.ReleaseInventoryHandler;
import com.orderflow.workflow.inventory.ReserveInventoryHandler;
import com.orderflow.workflow.merge.MergeResultsHandler;
import com.orderflow.workflow.payment.AuthorizePaymentHandler;
import com.orderflow.workflow.payment.VoidPaymentHandler;
import com.orderflow.workflow.persist.PersistOrderHandler;
import com.orderflow.workflow.validate.ValidateOrderHandler;
import com.orderflow.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * The SnapStart hooks, called directly as a CRaC checkpoint and restore would call them (these JDKs have no CRaC):
 * priming runs every handler's request path, and nothing it does reaches the network, whether a client's calls are
 * answered in-process (the Lambda's own clients) or stopped after signing (any other client).
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
    void priming_answersTheLambdaClientsCalls_inProcess_andSendsNothing() {
        var persist = new PersistOrderHandler(lambdaS3Client(), BUCKET, Clock.systemUTC());

        var report = prime(persist);

        assertThat(endpoint.received()).as("requests that reached the endpoint while priming").isEmpty();
        assertThat(report.failed()).isZero();
        // the first version (record on condition, entry), the next on condition (entry, record, old entry's delete),
        // and one after a look-up (the current version's status, none; then the entry and the record)
        assertThat(report.sdkCallsAnswered()).isEqualTo(8 * Priming.ROUNDS);
        assertThat(report.sdkCallsStopped()).isZero();
    }

    @Test
    void priming_stopsTheCallsOfAnyOtherClient_afterSigning_beforeTheWire() {
        var api = new ApiHandler(new ApiConfig(BUCKET, STATE_MACHINE, null), recordedS3Client(), recordedSfnClient(),
                new SecureRandomOrderIdGenerator(Clock.systemUTC()));
        var persist = new PersistOrderHandler(recordedS3Client(), BUCKET, Clock.systemUTC());

        var apiReport = prime(api);
        var persistReport = prime(persist);

        assertThat(endpoint.received()).as("requests that reached the endpoint while priming").isEmpty();
        // GET /orders, GET /orders/{id}, its history, a new order (StartExecution) and an idempotent one (its
        // DescribeExecution look-up): one stopped call each
        assertThat(apiReport.sdkCallsStopped()).isEqualTo(5 * Priming.ROUNDS);
        // each of its three samples stops at its first call
        assertThat(persistReport.sdkCallsStopped()).isEqualTo(3 * Priming.ROUNDS);
        assertThat(persistReport.failed()).isEqualTo(3 * Priming.ROUNDS);
        assertThat(stopped).allSatisfy(call -> {
            assertThat(call.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=");
            assertThat(PrimingInterceptor.PrimedCallStopped.in(call.error())).isTrue();
        });
        assertThat(stopped).extracting(StoppedCall::operation).containsOnly(
                "ListObjectsV2Request", "GetObjectRequest", "ListObjectVersionsRequest", "StartExecutionRequest",
                "DescribeExecutionRequest", "HeadObjectRequest", "PutObjectRequest");
        assertThat(stopped).filteredOn(call -> call.operation().equals("HeadObjectRequest"))
                .extracting(StoppedCall::method, StoppedCall::path)
                .containsOnly(tuple("HEAD", "/" + BUCKET + "/orders/" + PrimingOrders.ORDER_ID + ".json"));
    }

    @Test
    void afterRestore_theSameClientReachesTheEndpoint() throws Exception {
        var persist = new PersistOrderHandler(lambdaS3Client(), BUCKET, Clock.systemUTC());
        var priming = Priming.of(persist).orElseThrow();
        priming.beforeCheckpoint(null);
        priming.afterRestore(null);

        // the sample that looks the object up first: a HEAD, then the entry and the record
        var input = Json.mapper().readValue(persist.primingEvents().getLast(), PersistOrderInput.class);
        var result = persist.handleRequest(input, null);

        assertThat(result.versionId()).isEqualTo("v3");
        assertThat(endpoint.received()).hasSize(3).last().satisfies(r -> {
            assertThat(r.method()).isEqualTo("PUT");
            assertThat(r.pathAndQuery()).isEqualTo("/" + BUCKET + "/orders/" + PrimingOrders.ORDER_ID + ".json");
        });
        assertThat(priming.restores()).isEqualTo(1);
    }

    @Test
    void priming_runsEveryHandlersSamples_throughTheRuntimeMapping() {
        var inventory = SimulatedInventory.standard();
        var payments = SimulatedPaymentGateway.standard();
        var expected = new LinkedHashMap<RequestHandler<?, ?>, List<Integer>>();
        // per round: sample invocations, of which failed (deliberately invalid input), SDK calls answered in-process
        expected.put(new ValidateOrderHandler(), List.of(2, 0, 0));
        expected.put(new ReserveInventoryHandler(inventory), List.of(3, 1, 0));
        expected.put(new ReleaseInventoryHandler(inventory), List.of(1, 0, 0));
        expected.put(new AuthorizePaymentHandler(payments), List.of(3, 0, 0));
        expected.put(new VoidPaymentHandler(payments), List.of(1, 0, 0));
        expected.put(new MergeResultsHandler(), List.of(3, 0, 0));
        expected.put(new PersistOrderHandler(lambdaS3Client(), BUCKET, Clock.systemUTC()), List.of(3, 0, 8));
        // GET /orders lists one order and reads it, GET /orders/{id} reads it (RECEIVED) and describes its execution,
        // history lists and reads one version, two POSTs start an execution each: 8 calls
        expected.put(lambdaApiHandler(), List.of(9, 0, 8));

        expected.forEach((handler, perRound) -> {
            var report = prime(handler);
            assertThat(List.of(report.invocations(), report.failed(), (int) report.sdkCallsAnswered()))
                    .as(handler.getClass().getSimpleName())
                    .containsExactly(perRound.get(0) * Priming.ROUNDS, perRound.get(1) * Priming.ROUNDS,
                            perRound.get(2) * Priming.ROUNDS);
            assertThat(report.sdkCallsStopped()).isZero();
        });
        // priming reserved and authorized the priming order, then released and voided it: nothing is left to snapshot
        assertThat(inventory.holdsReservation(PrimingOrders.ORDER_ID)).isFalse();
        assertThat(payments.holdsAuthorization(PrimingOrders.ORDER_ID)).isFalse();
        assertThat(endpoint.received()).isEmpty();
    }

    @Test
    void everyWorkflowHandlersLambdaConstructor_registersItsPriming() {
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

    private ApiHandler lambdaApiHandler() {
        // the API's S3 client as its Lambda constructor builds it; its Step Functions client is built alike
        return new ApiHandler(new ApiConfig(BUCKET, STATE_MACHINE, null), lambdaS3Client(),
                SfnClient.builder()
                        .httpClient(PrimingTransport.wrap(UrlConnectionHttpClient.create()))
                        .overrideConfiguration(c -> c.addExecutionInterceptor(PrimingTransport.MARKER))
                        .endpointOverride(endpoint.uri()).region(Region.US_EAST_1)
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                        .build(),
                new SecureRandomOrderIdGenerator(Clock.systemUTC()));
    }

    /** The S3 client the Lambda builds from its environment, pointed at the recording endpoint. */
    private S3Client lambdaS3Client() {
        return AwsEnvironment.from(Map.of(AwsEnvironment.S3_ENDPOINT_URL, endpoint.uri().toString())).newS3Client();
    }

    /** A client built without the priming transport, recording the calls that failed. */
    private S3Client recordedS3Client() {
        return S3Client.builder()
                .httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(endpoint.uri())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .overrideConfiguration(recording())
                .build();
    }

    private SfnClient recordedSfnClient() {
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
                var request = context.request();
                context.httpRequest().ifPresent(http -> stopped.add(new StoppedCall(request.getClass().getSimpleName(),
                        http.method().name(), http.encodedPath(), http.firstMatchingHeader("Authorization").orElse(""),
                        context.exception())));
            }
        }).build();
    }
}
