package com.orderflow.workflow.persist;

import com.orderflow.aws.AwsEnvironment;
import com.orderflow.json.Json;
import com.orderflow.order.FailureInfo;
import com.orderflow.order.InventoryResult;
import com.orderflow.order.OrderOutcome;
import com.orderflow.order.OrderRecord;
import com.orderflow.order.OrderStatus;
import com.orderflow.order.PaymentResult;
import com.orderflow.order.TestOrders;
import com.orderflow.workflow.InvalidStepInputException;
import com.orderflow.workflow.PersistOrderInput;
import com.orderflow.local.s3.LocalS3Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PersistOrder against the project's local S3 on loopback, through the same client construction the Lambda uses. */
class PersistOrderHandlerTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String EXECUTION_ARN =
            "arn:aws:states:us-east-1:000000000000:execution:orderflow-local-order-workflow:" + TestOrders.ORDER_ID;

    private static LocalS3Server localS3;
    private static S3Client s3;
    private static String bucket;

    @BeforeAll
    static void startLocalS3() throws IOException {
        localS3 = LocalS3Server.inMemory();
        s3 = AwsEnvironment.from(Map.of(
                AwsEnvironment.AWS_REGION, "us-east-1",
                AwsEnvironment.S3_ENDPOINT_URL, "http://127.0.0.1:" + localS3.port())).newS3Client();
        bucket = "orders-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }

    @AfterAll
    static void stopLocalS3() throws IOException {
        if (s3 != null) {
            s3.close();
        }
        if (localS3 != null) {
            localS3.close();
        }
    }

    private static PersistOrderHandler handler() {
        return new PersistOrderHandler(s3, bucket, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void receivedThenCompleted_areTwoVersionsOfOneObject_newestCompleted() throws IOException {
        var orderId = TestOrders.id("versions");
        var order = TestOrders.order(orderId, "tok_visa", "39.99", TestOrders.line("SKU-BOOK-001", 1, "39.99"));
        var reserved = new InventoryResult(orderId, InventoryResult.Status.RESERVED, "res_1", null);
        var authorized = new PaymentResult(orderId, PaymentResult.Status.AUTHORIZED, "auth_1", null);

        var received = handler().handleRequest(new PersistOrderInput(order, OrderOutcome.received(), EXECUTION_ARN), null);
        var completed = handler().handleRequest(
                new PersistOrderInput(order, OrderOutcome.merge(reserved, authorized), EXECUTION_ARN), null);

        assertThat(received.key()).isEqualTo("orders/" + orderId + ".json");
        assertThat(received.status()).isEqualTo(OrderStatus.RECEIVED);
        assertThat(completed.status()).isEqualTo(OrderStatus.COMPLETED);
        assertThat(received.versionId()).isNotBlank();
        assertThat(completed.versionId()).isNotBlank().isNotEqualTo(received.versionId());

        var versions = s3.listObjectVersions(b -> b.bucket(bucket).prefix(received.key())).versions();
        assertThat(versions).extracting(ObjectVersion::versionId)
                .containsExactlyInAnyOrder(received.versionId(), completed.versionId());
        assertThat(versions).filteredOn(ObjectVersion::isLatest).extracting(ObjectVersion::versionId)
                .containsExactly(completed.versionId());

        var latest = Json.mapper().readValue(
                s3.getObjectAsBytes(b -> b.bucket(bucket).key(received.key())).asByteArray(), OrderRecord.class);
        assertThat(latest.status()).isEqualTo(OrderStatus.COMPLETED);
        assertThat(latest.order()).isEqualTo(order);
        assertThat(latest.inventory()).isEqualTo(reserved);
        assertThat(latest.payment()).isEqualTo(authorized);
        assertThat(latest.executionArn()).isEqualTo(EXECUTION_ARN);
        assertThat(latest.updatedAt()).isEqualTo(NOW);

        var first = Json.mapper().readValue(s3.getObjectAsBytes(b -> b.bucket(bucket).key(received.key())
                .versionId(received.versionId())).asByteArray(), OrderRecord.class);
        assertThat(first.status()).isEqualTo(OrderStatus.RECEIVED);
        assertThat(first.inventory()).isNull();
    }

    @Test
    void theSameStatusWrittenTwice_addsOneVersion_asATaskInvokedAgainAfterARestartNeeds() {
        var orderId = TestOrders.id("twice");
        var order = TestOrders.order(orderId, "tok_visa", "39.99", TestOrders.line("SKU-BOOK-001", 1, "39.99"));
        var input = new PersistOrderInput(order, OrderOutcome.received(), EXECUTION_ARN);

        var first = handler().handleRequest(input, null);
        var second = handler().handleRequest(input, null);

        var versions = s3.listObjectVersions(b -> b.bucket(bucket).prefix(first.key())).versions();
        assertThat(versions).extracting(ObjectVersion::versionId).containsExactly(first.versionId());
        assertThat(second.versionId()).isEqualTo(first.versionId());

        // and the next status is a new version as ever
        var completed = handler().handleRequest(new PersistOrderInput(order, OrderOutcome.failed(new com.orderflow.order.FailureInfo("E", "c")),
                EXECUTION_ARN), null);
        assertThat(completed.versionId()).isNotEqualTo(first.versionId());
    }

    /** The orders bucket's client, counting the operations PersistOrder calls on it by name. */
    private static S3Client counting(Map<String, Integer> calls) {
        return (S3Client) java.lang.reflect.Proxy.newProxyInstance(S3Client.class.getClassLoader(),
                new Class<?>[] {S3Client.class}, (proxy, method, args) -> {
                    calls.merge(method.getName(), 1, Integer::sum);
                    try {
                        return method.invoke(s3, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
            return false;
        }
    }

    @Test
    void asTheWorkflowCallsIt_theFinalStatusIsWrittenOnTheReceivedVersionsETag_andNothingIsLookedUp() {
        var orderId = TestOrders.id("conditional");
        var order = TestOrders.order(orderId, "tok_visa", "39.99", TestOrders.line("SKU-BOOK-001", 1, "39.99"));
        var calls = new java.util.TreeMap<String, Integer>();
        var handler = new PersistOrderHandler(counting(calls), bucket, Clock.fixed(NOW, ZoneOffset.UTC));
        var reserved = new InventoryResult(orderId, InventoryResult.Status.RESERVED, "res_1", null);
        var authorized = new PaymentResult(orderId, PaymentResult.Status.AUTHORIZED, "auth_1", null);

        var received = handler.handleRequest(new PersistOrderInput(order, OrderOutcome.received(), EXECUTION_ARN), null);
        var completed = handler.handleRequest(new PersistOrderInput(order, OrderOutcome.merge(reserved, authorized),
                EXECUTION_ARN, received), null);

        // RecordReceived: the record (If-None-Match), its entry; PersistFinalStatus: the entry, the record (If-Match),
        // the old entry's delete. No HeadObject: five requests where seven were
        assertThat(calls).containsExactly(Map.entry("deleteObject", 1), Map.entry("putObject", 4));
        assertThat(received.eTag()).isNotBlank();
        assertThat(received.createdAt()).isEqualTo(NOW);
        assertThat(completed.createdAt()).isEqualTo(NOW);
        var versions = s3.listObjectVersions(b -> b.bucket(bucket).prefix(received.key())).versions();
        assertThat(versions).filteredOn(ObjectVersion::isLatest).extracting(ObjectVersion::versionId)
                .containsExactly(completed.versionId());
        assertThat(versions).hasSize(2);
        assertThat(exists(com.orderflow.order.OrderIndex.key(OrderStatus.COMPLETED, NOW, orderId))).isTrue();
        assertThat(exists(com.orderflow.order.OrderIndex.key(OrderStatus.RECEIVED, NOW, orderId))).isFalse();
    }

    @Test
    void theFinalStatusInvokedAgain_failsItsCondition_andIsTakenForTheRepeatItIs() {
        var orderId = TestOrders.id("again");
        var order = TestOrders.order(orderId, "tok_visa", "39.99", TestOrders.line("SKU-BOOK-001", 1, "39.99"));
        var received = handler().handleRequest(new PersistOrderInput(order, OrderOutcome.received(), EXECUTION_ARN), null);
        var rejected = new PersistOrderInput(order, new OrderOutcome(OrderStatus.REJECTED, "Order.Invalid: no", com.orderflow.order.Compensation.NONE, null, null, null), EXECUTION_ARN, received);

        var first = handler().handleRequest(rejected, null);
        // a restart after the write, before its result was recorded: the same task, the same (now stale) ETag
        var again = handler().handleRequest(rejected, null);

        assertThat(again.versionId()).isEqualTo(first.versionId());
        assertThat(again.eTag()).isEqualTo(first.eTag());
        assertThat(s3.listObjectVersions(b -> b.bucket(bucket).prefix(received.key())).versions()).hasSize(2);
        assertThat(exists(com.orderflow.order.OrderIndex.key(OrderStatus.REJECTED, NOW, orderId))).isTrue();
        assertThat(exists(com.orderflow.order.OrderIndex.key(OrderStatus.RECEIVED, NOW, orderId))).isFalse();
    }

    @Test
    void aPreviousVersionFromBeforeETagsWereReturned_isLookedUp_asBefore() {
        var orderId = TestOrders.id("older");
        var order = TestOrders.order(orderId, "tok_visa", "39.99", TestOrders.line("SKU-BOOK-001", 1, "39.99"));
        var received = handler().handleRequest(new PersistOrderInput(order, OrderOutcome.received(), EXECUTION_ARN), null);
        // the result an execution started before this change holds in $.received
        var older = new com.orderflow.workflow.PersistOrderResult(orderId, OrderStatus.RECEIVED, received.key(),
                received.versionId(), null, null);
        var calls = new java.util.TreeMap<String, Integer>();
        var handler = new PersistOrderHandler(counting(calls), bucket, Clock.fixed(NOW.plusSeconds(5), ZoneOffset.UTC));

        var failed = handler.handleRequest(new PersistOrderInput(order,
                OrderOutcome.failed(new FailureInfo("E", "c")), EXECUTION_ARN, older), null);

        assertThat(calls).containsEntry("headObject", 1);
        assertThat(failed.createdAt()).as("from the stored first version").isEqualTo(NOW);
        assertThat(exists(com.orderflow.order.OrderIndex.key(OrderStatus.FAILED, NOW, orderId))).isTrue();
    }

    @Test
    void failedOutcome_storesTheStepFunctionsErrorAndCause() throws IOException {
        var orderId = TestOrders.id("failed");
        var order = TestOrders.order(orderId, "tok_gatewayError", "12.50", TestOrders.line("SKU-MUG-002", 1, "12.50"));
        // the shape a Catch block's ResultPath leaves: {"Error": ..., "Cause": ...}
        var failure = Json.mapper().readValue(
                "{\"Error\":\"com.orderflow.order.payment.PaymentGatewayException\",\"Cause\":\"{\\\"errorMessage\\\":\\\"boom\\\"}\"}",
                FailureInfo.class);

        var result = handler().handleRequest(new PersistOrderInput(order, OrderOutcome.failed(failure), EXECUTION_ARN), null);

        var stored = Json.mapper().readValue(
                s3.getObjectAsBytes(b -> b.bucket(bucket).key(result.key())).asByteArray(), OrderRecord.class);
        assertThat(stored.status()).isEqualTo(OrderStatus.FAILED);
        assertThat(stored.failure()).isEqualTo(new FailureInfo("com.orderflow.order.payment.PaymentGatewayException",
                "{\"errorMessage\":\"boom\"}"));
        assertThat(stored.reason()).isEqualTo("Technical failure: com.orderflow.order.payment.PaymentGatewayException");
        var head = s3.headObject(b -> b.bucket(bucket).key(result.key()));
        assertThat(head.contentType()).isEqualTo("application/json");
        assertThat(head.metadata()).containsEntry(PersistOrderHandler.STATUS_METADATA, "FAILED");
    }

    @Test
    void badInput_isNamedInvalidStepInput_andWritesNothing() {
        var o = TestOrders.valid();
        var traversal = new com.orderflow.order.Order("ord_../../x", o.customer(), o.currency(), o.items(), o.payment(), o.total());

        assertThatThrownBy(() -> handler().handleRequest(new PersistOrderInput(o, null, EXECUTION_ARN), null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessage("Step.InvalidInput: outcome is required");
        assertThatThrownBy(() -> handler().handleRequest(new PersistOrderInput(o,
                new OrderOutcome(null, null, null, null, null, null), EXECUTION_ARN), null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessage("Step.InvalidInput: outcome.status is required");
        assertThatThrownBy(() -> handler().handleRequest(new PersistOrderInput(traversal, OrderOutcome.received(), EXECUTION_ARN), null))
                .isInstanceOf(InvalidStepInputException.class)
                .hasMessageStartingWith("Step.InvalidInput: order.orderId must match");
        assertThat(s3.listObjectVersions(b -> b.bucket(bucket).prefix("orders/" + o.orderId())).versions()).isEmpty();
    }

    @Test
    void environmentWithoutBucket_failsFastWithItsName() {
        var env = AwsEnvironment.from(Map.of(AwsEnvironment.AWS_REGION, "us-east-1"));

        assertThatThrownBy(env::requireOrdersBucket)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("ORDERS_BUCKET is not set");
    }
}
