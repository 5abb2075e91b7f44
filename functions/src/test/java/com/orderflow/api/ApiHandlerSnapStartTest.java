package com.orderflow.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.orderflow.api.ids.SecureRandomOrderIdGenerator;
import com.orderflow.aws.AwsEnvironment;
import com.orderflow.order.OrderId;
import com.orderflow.priming.Priming;
import com.orderflow.priming.RecordingEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API handler across a simulated SnapStart checkpoint and restore, with the SDK clients its Lambda constructor
 * builds pointed at a recording endpoint: priming sends nothing, and after a restore each copy of the snapshot
 * draws its order ids from a random source seeded after the restore.
 */
class ApiHandlerSnapStartTest {

    private static final String STATE_MACHINE = "arn:aws:states:us-east-1:000000000000:stateMachine:orderflow-test";

    private RecordingEndpoint endpoint;

    @BeforeEach
    void start() throws IOException {
        endpoint = new RecordingEndpoint();
    }

    @AfterEach
    void stop() {
        endpoint.close();
    }

    @Test
    void lambdaConstructor_registersPriming_thatSendsNothing() {
        var handler = new ApiHandler(environment());

        var priming = Priming.of(handler).orElseThrow();
        priming.beforeCheckpoint(null);

        assertThat(priming.lastReport().sdkCallsAnswered()).isPositive();
        assertThat(endpoint.received()).isEmpty();
    }

    @Test
    void restoredHandlers_primedAlike_generateDifferentIds_fromRandomSourcesSeededAfterRestore() throws Exception {
        var firstIds = new SecureRandomOrderIdGenerator(Clock.systemUTC());
        var secondIds = new SecureRandomOrderIdGenerator(Clock.systemUTC());
        var first = handler(firstIds);
        var second = handler(secondIds);
        Priming.of(first).orElseThrow().beforeCheckpoint(null);
        Priming.of(second).orElseThrow().beforeCheckpoint(null);
        var primedRandom = randomOf(firstIds);
        assertThat(primedRandom).as("priming posted an order, so the random source exists in the snapshot").isNotNull();
        assertThat(endpoint.received()).isEmpty();

        Priming.of(first).orElseThrow().afterRestore(null);
        Priming.of(second).orElseThrow().afterRestore(null);
        assertThat(randomOf(firstIds)).as("dropped by the restore").isNull();
        post(first);
        post(second);

        assertThat(randomOf(firstIds)).isNotNull().isNotSameAs(primedRandom);
        var started = endpoint.received().stream().filter(r -> "AWSStepFunctions.StartExecution".equals(r.target()))
                .map(r -> r.body().replaceAll(".*\"name\":\"([^\"]+)\".*", "$1")).toList();
        assertThat(started).hasSize(2).allMatch(OrderId::isValid).doesNotHaveDuplicates();
    }

    private ApiHandler handler(SecureRandomOrderIdGenerator ids) {
        var aws = AwsEnvironment.from(environment());
        return new ApiHandler(ApiConfig.fromEnvironment(environment()), aws.newS3Client(), ApiConfig.newSfnClient(aws), ids);
    }

    private Map<String, String> environment() {
        return Map.of(AwsEnvironment.ORDERS_BUCKET, "orderflow-orders-test", AwsEnvironment.STATE_MACHINE_ARN, STATE_MACHINE,
                AwsEnvironment.S3_ENDPOINT_URL, endpoint.uri().toString(), AwsEnvironment.SFN_ENDPOINT_URL, endpoint.uri().toString());
    }

    private static void post(ApiHandler handler) {
        var response = handler.handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("POST").withPath("/orders")
                .withResource("/orders").withHeaders(Map.of("Content-Type", "application/json"))
                .withBody("""
                        {"customer":{"id":"c-1","name":"Ada Lovelace","email":"ada@example.com"},"currency":"USD",
                         "items":[{"sku":"SKU-BOOK-001","quantity":1,"unitPrice":39.99}],"payment":{"token":"tok_visa"},
                         "total":39.99}"""), null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(202);
    }

    private static SecureRandom randomOf(SecureRandomOrderIdGenerator ids) throws ReflectiveOperationException {
        var field = SecureRandomOrderIdGenerator.class.getDeclaredField("random");
        field.setAccessible(true);
        return (SecureRandom) field.get(ids);
    }
}
