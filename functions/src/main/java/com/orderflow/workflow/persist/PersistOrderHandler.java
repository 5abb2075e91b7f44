package com.orderflow.workflow.persist;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.orderflow.aws.AwsEnvironment;
import com.orderflow.json.Json;
import com.orderflow.order.OrderRecord;
import com.orderflow.priming.Priming;
import com.orderflow.priming.PrimingSamples;
import com.orderflow.workflow.InvalidStepInputException;
import com.orderflow.workflow.OrderInput;
import com.orderflow.workflow.PersistOrderInput;
import com.orderflow.workflow.PersistOrderResult;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;

/**
 * PersistOrder: writes the order at its current status to {@code orders/{orderId}.json}; in the versioned
 * bucket every status becomes a new version of that one object. A repeat of the status stored last writes nothing
 * (idempotent by order id, as a task invoked again after a restart needs).
 */
public final class PersistOrderHandler implements RequestHandler<PersistOrderInput, PersistOrderResult> {

    /** User metadata on each version, so a reader can tell a version's status without parsing it. */
    public static final String STATUS_METADATA = "order-status";

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
        Priming.register(this, PrimingSamples.PERSIST_ORDER);
    }

    @Override
    public PersistOrderResult handleRequest(PersistOrderInput input, Context context) {
        InvalidStepInputException.require(input, "input");
        var order = OrderInput.requireIdentified(input.order(), "order");
        var outcome = InvalidStepInputException.require(input.outcome(), "outcome");
        var status = InvalidStepInputException.require(outcome.status(), "outcome.status");

        var key = OrderRecord.key(order.orderId());
        var current = currentVersion(key);
        if (current != null && status.name().equals(current.metadata().get(STATUS_METADATA))) {
            // a repeat (the workflow engine invokes a task again after a restart): the status is stored already
            return new PersistOrderResult(order.orderId(), status, key, current.versionId());
        }
        var record = OrderRecord.of(order, outcome, input.executionArn(), clock.instant());
        var response = s3.putObject(PutObjectRequest.builder()
                        .bucket(bucket)
                        .key(key)
                        .contentType("application/json")
                        .metadata(Map.of(STATUS_METADATA, status.name()))
                        .build(),
                RequestBody.fromBytes(toJson(record)));
        return new PersistOrderResult(order.orderId(), status, key, response.versionId());
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
