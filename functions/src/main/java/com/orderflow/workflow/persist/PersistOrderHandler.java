package com.orderflow.workflow.persist;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.orderflow.aws.AwsEnvironment;
import com.orderflow.aws.PrimingOrderAnswers;
import com.orderflow.json.Json;
import com.orderflow.order.Order;
import com.orderflow.order.OrderIndex;
import com.orderflow.order.OrderOutcome;
import com.orderflow.order.OrderRecord;
import com.orderflow.order.OrderStatus;
import com.orderflow.order.PrimingOrders;
import com.orderflow.priming.CannedAnswers;
import com.orderflow.priming.PrimedHandler;
import com.orderflow.priming.Priming;
import com.orderflow.workflow.InvalidStepInputException;
import com.orderflow.workflow.OrderInput;
import com.orderflow.workflow.PersistOrderInput;
import com.orderflow.workflow.PersistOrderResult;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * PersistOrder: writes the order at its current status to {@code orders/{orderId}.json}; in the versioned
 * bucket every status becomes a new version of that one object. It also moves the order's {@link OrderIndex} entry
 * to the new status, which is what lets {@code GET /orders} filter by status and creation time without reading
 * every record. A repeat of the status stored last writes no record (idempotent by order id, as a task invoked
 * again after a restart needs).
 *
 * <p>It writes on condition instead of looking the object up first: the first version only if there is none
 * ({@code If-None-Match: *}), a later one only if the object is still the version the workflow was told of
 * ({@code If-Match} with that version's ETag, from {@code $.received}). Only when the condition fails (a repeat, or an
 * object changed by someone else) does it read the object's latest version and decide from that. Two S3 requests
 * fewer per order, of seven.
 *
 * <p>Order of writes, so that a crash between any two leaves nothing a reader trusts wrongly: a later version's new
 * entry first (an entry whose record says another status is skipped by readers), then the record, then the old
 * entry's delete (done again by a repeat, in case the crash came before it). The first version's record comes before
 * its entry, whose key holds the record's creation time; a repeat writes the entry again.
 */
public final class PersistOrderHandler implements RequestHandler<PersistOrderInput, PersistOrderResult>, PrimedHandler {

    /** User metadata on each version, so a reader can tell a version's status without parsing it. */
    public static final String STATUS_METADATA = "order-status";
    /** User metadata on each version: when the first version was stored (ISO-8601), so later ones keep it. */
    public static final String CREATED_METADATA = "order-created";

    private final S3Client s3;
    private final String bucket;
    private final Clock clock;

    public PersistOrderHandler() {
        this(AwsEnvironment.fromSystem());
    }

    private PersistOrderHandler(AwsEnvironment env) {
        this(env.newS3Client(), env.requireOrdersBucket(), Clock.systemUTC());
    }

    public PersistOrderHandler(S3Client s3, String bucket, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.clock = clock;
        Priming.register(this);
    }

    @Override
    public List<String> primingEvents() {
        String order = "{\"order\":" + PrimingOrders.COMPLETING + ",";
        String completed = "\"outcome\":{\"status\":\"COMPLETED\",\"compensation\":\"NONE\",\"inventory\":"
                + PrimingOrders.RESERVED + ",\"payment\":" + PrimingOrders.AUTHORIZED + "},";
        String execution = "\"executionArn\":\"" + PrimingOrders.EXECUTION_ARN + "\"";
        return List.of(
                // the three paths a workflow takes: the first version, the next on condition, and after a look-up
                order + "\"outcome\":{\"status\":\"RECEIVED\"}," + execution + "}",
                order + completed + execution + ",\"previous\":{\"orderId\":\"" + PrimingOrders.ORDER_ID
                        + "\",\"status\":\"RECEIVED\",\"key\":\"orders/" + PrimingOrders.ORDER_ID
                        + ".json\",\"versionId\":\"priming-version\",\"eTag\":\"\\\"priming\\\"\","
                        + "\"createdAt\":\"2026-01-01T00:00:00Z\"}}",
                order + completed + execution + "}");
    }

    @Override
    public CannedAnswers primingAnswers() {
        return PrimingOrderAnswers.INSTANCE;
    }

    @Override
    public PersistOrderResult handleRequest(PersistOrderInput input, Context context) {
        InvalidStepInputException.require(input, "input");
        var order = OrderInput.requireIdentified(input.order(), "order");
        var outcome = InvalidStepInputException.require(input.outcome(), "outcome");
        var status = InvalidStepInputException.require(outcome.status(), "outcome.status");
        var key = OrderRecord.key(order.orderId());
        var previous = input.previous();

        PersistOrderResult written;
        if (previous == null && status == OrderStatus.RECEIVED) {
            written = firstVersion(key, order, outcome, input.executionArn());
        } else if (previous != null && previous.eTag() != null && previous.createdAt() != null
                && previous.status() != null && previous.status() != status && key.equals(previous.key())) {
            written = nextVersion(key, order, outcome, input.executionArn(), previous);
        } else {
            written = null;
        }
        return written != null ? written : afterLookingUp(key, order, outcome, input.executionArn());
    }

    /** The order's first version, unless it has one (then null). */
    private PersistOrderResult firstVersion(String key, Order order, OrderOutcome outcome, String executionArn) {
        var now = clock.instant();
        var record = OrderRecord.of(order, outcome, executionArn, now, now);
        var response = putRecord(key, record, now, b -> b.ifNoneMatch("*"));
        if (response == null) {
            return null;
        }
        putEntry(outcome.status(), now, order.orderId());
        return new PersistOrderResult(order.orderId(), outcome.status(), key, response.versionId(), response.eTag(), now);
    }

    /** The version after {@code previous}, unless the object is no longer that version (then null). */
    private PersistOrderResult nextVersion(String key, Order order, OrderOutcome outcome, String executionArn,
                                           PersistOrderResult previous) {
        var status = outcome.status();
        var createdAt = previous.createdAt();
        putEntry(status, createdAt, order.orderId());
        var record = OrderRecord.of(order, outcome, executionArn, clock.instant(), createdAt);
        var response = putRecord(key, record, createdAt, b -> b.ifMatch(previous.eTag()));
        if (response == null) {
            return null;
        }
        removeEntry(previous.status(), createdAt, order.orderId());
        return new PersistOrderResult(order.orderId(), status, key, response.versionId(), response.eTag(), createdAt);
    }

    /** Decides from the object's latest version: a repeat of its status, or the next version. */
    private PersistOrderResult afterLookingUp(String key, Order order, OrderOutcome outcome, String executionArn) {
        var status = outcome.status();
        var current = currentVersion(key);
        var now = clock.instant();
        var createdAt = current == null ? now : createdAtOf(current);
        var previous = current == null ? null : statusOf(current);
        if (previous == status) {
            // a repeat (the workflow engine invokes a task again after a restart): the status is stored already
            if (status.isFinal()) {
                removeEntry(OrderStatus.RECEIVED, createdAt, order.orderId());
            } else {
                putEntry(status, createdAt, order.orderId()); // in case the first try stopped before it
            }
            return new PersistOrderResult(order.orderId(), status, key, current.versionId(), current.eTag(), createdAt);
        }
        putEntry(status, createdAt, order.orderId());
        var record = OrderRecord.of(order, outcome, executionArn, now, createdAt);
        var response = putRecord(key, record, createdAt, b -> { });
        if (previous != null) {
            removeEntry(previous, createdAt, order.orderId());
        }
        return new PersistOrderResult(order.orderId(), status, key, response.versionId(), response.eTag(), createdAt);
    }

    /** Writes the record as a new version; null when {@code condition} did not hold (412, or no such key for If-Match). */
    private PutObjectResponse putRecord(String key, OrderRecord record, Instant createdAt,
                                        Consumer<PutObjectRequest.Builder> condition) {
        var request = PutObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .contentType("application/json")
                .metadata(Map.of(STATUS_METADATA, record.status().name(), CREATED_METADATA, createdAt.toString()));
        condition.accept(request);
        try {
            return s3.putObject(request.build(), RequestBody.fromBytes(toJson(record)));
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e instanceof NoSuchKeyException) {
                return null;
            }
            throw e;
        }
    }

    private void putEntry(OrderStatus status, Instant createdAt, String orderId) {
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(OrderIndex.key(status, createdAt, orderId)).build(),
                RequestBody.empty());
    }

    private void removeEntry(OrderStatus status, Instant createdAt, String orderId) {
        s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(OrderIndex.key(status, createdAt, orderId)).build());
    }

    /** The creation time the first version recorded; a version stored before it was recorded dates from itself. */
    private static Instant createdAtOf(HeadObjectResponse current) {
        var recorded = current.metadata().get(CREATED_METADATA);
        if (recorded != null) {
            try {
                return Instant.parse(recorded);
            } catch (DateTimeParseException e) {
                // written by something else: fall through to the version's own time
            }
        }
        return current.lastModified() != null ? current.lastModified() : Instant.EPOCH;
    }

    private static OrderStatus statusOf(HeadObjectResponse current) {
        var name = current.metadata().get(STATUS_METADATA);
        for (var candidate : OrderStatus.values()) {
            if (candidate.name().equals(name)) {
                return candidate;
            }
        }
        return null;
    }

    private HeadObjectResponse currentVersion(String key) {
        try {
            return s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build());
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static byte[] toJson(OrderRecord record) {
        try {
            return Json.mapper().writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
