package com.orderflow.api.orders;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.orderflow.api.http.FieldError;
import com.orderflow.api.http.Problem;
import com.orderflow.api.ids.IdempotencyKey;
import com.orderflow.order.OrderId;
import com.orderflow.api.ids.OrderIdGenerator;
import com.orderflow.api.validation.OrderRequest;
import com.orderflow.json.Json;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkPlugin;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionLimitExceededException;
import software.amazon.awssdk.services.sfn.model.SfnException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Starts the workflow for a validated order. With an {@code Idempotency-Key} the order id (and so the execution
 * name) is derived from the key and the execution input from the canonical body, which makes Step Functions'
 * own name rule the idempotency store: a known key is looked up first (DescribeExecution), and the stored input's
 * {@code requestHash} tells a replay from a reuse; when two first requests race, StartExecution's name rule
 * decides (the same input while open returns the run, anything else is refused and compared the same way).
 */
public final class OrderSubmission {

    /** The order the request now refers to; {@code replayed} when an earlier request with the same key created it. */
    public record Submitted(String orderId, String executionArn, boolean replayed) {
    }

    /** What a client that is refused for capacity is told to wait, in seconds. */
    public static final String RETRY_AFTER_SECONDS = "1";

    /**
     * StartExecution's retries, whoever built the client: one more attempt after an I/O fault or a 5xx, none after
     * throttling. A throttled start is refused because the workflow is at capacity, which takes executions ending to
     * clear (seconds, not the SDK's backoff of tens of milliseconds); retrying inside the request would hold the
     * caller's connection and the function's time without helping, so the client hears 503 with Retry-After at once.
     */
    public static final RetryStrategy START_RETRIES = DefaultRetryStrategy.standardStrategyBuilder()
            .maxAttempts(2)
            .retryOnException(OrderSubmission::worthOneRetry)
            .useClientDefaults(false)
            .build();

    /**
     * Puts {@link #START_RETRIES} on the one call it is for when the client was built with another policy; the
     * client's other calls keep theirs. A plugin rebuilds the client's configuration on every call it is on (about
     * 3 % of the local stack's CPU under load), so the function's own client is built with the policy instead.
     */
    private static final SdkPlugin START_RETRY_PLUGIN = config -> {
        var override = config.overrideConfiguration();
        config.overrideConfiguration((override == null
                ? ClientOverrideConfiguration.builder()
                : override.toBuilder()).retryStrategy(START_RETRIES).build());
    };

    private final SfnClient sfn;
    private final StateMachineArn stateMachine;
    private final OrderIdGenerator ids;
    private final boolean clientRetriesStarts;

    public OrderSubmission(SfnClient sfn, StateMachineArn stateMachine, OrderIdGenerator ids) {
        this.sfn = sfn;
        this.stateMachine = stateMachine;
        this.ids = ids;
        this.clientRetriesStarts = sfn.serviceClientConfiguration().overrideConfiguration().retryStrategy()
                .filter(START_RETRIES::equals).isPresent();
    }

    public Submitted submit(OrderRequest request, IdempotencyKey key) {
        var orderId = key == null ? ids.newOrderId() : key.orderId();
        if (!OrderId.isValid(orderId)) {
            throw new IllegalStateException("id generator produced a malformed order id");
        }
        if (key != null) {
            // a repeat of a known key is answered from its run, so the client learns it was a replay
            var earlier = earlierRun(orderId, request.requestHash());
            if (earlier != null) {
                return earlier;
            }
        }
        var input = json(new ExecutionInput(request.toOrder(orderId), request.requestHash()));
        try {
            var started = sfn.startExecution(b -> {
                b.stateMachineArn(stateMachine.toString()).name(orderId).input(input);
                if (!clientRetriesStarts) {
                    b.overrideConfiguration(o -> o.addPlugin(START_RETRY_PLUGIN));
                }
            });
            return new Submitted(orderId, started.executionArn(), false);
        } catch (ExecutionLimitExceededException e) {
            throw atCapacity();
        } catch (ExecutionAlreadyExistsException e) {
            if (key == null) {
                // a fresh random id never names an existing run; if it does, that is our fault, not the client's
                throw e;
            }
            return replay(orderId, request.requestHash());
        } catch (SfnException e) {
            if (e.isThrottlingException()) {
                throw atCapacity();
            }
            throw e;
        }
    }

    private static boolean worthOneRetry(Throwable failure) {
        return failure instanceof SdkClientException
                || failure instanceof AwsServiceException aws && aws.statusCode() >= 500 && !aws.isThrottlingException();
    }

    /** The workflow takes no more orders now: 503, not 429, because no one client sent too many. */
    private static RuntimeException atCapacity() {
        return Problem.of(503, "Too many orders are being processed right now; none was created. Retry after "
                + RETRY_AFTER_SECONDS + " s.").withHeader("Retry-After", RETRY_AFTER_SECONDS).toException();
    }

    /** The run an earlier request with this key started (a replay), a 409 if its body differed, or null if none. */
    private Submitted earlierRun(String orderId, String requestHash) {
        try {
            return compare(orderId, requestHash, sfn.describeExecution(b -> b.executionArn(stateMachine.executionArn(orderId))).input());
        } catch (ExecutionDoesNotExistException none) {
            return null;
        }
    }

    private Submitted replay(String orderId, String requestHash) {
        String storedInput;
        try {
            storedInput = sfn.describeExecution(b -> b.executionArn(stateMachine.executionArn(orderId))).input();
        } catch (ExecutionDoesNotExistException gone) {
            throw conflict("This Idempotency-Key was used before and its order can no longer be verified; use a new key.");
        }
        return compare(orderId, requestHash, storedInput);
    }

    private Submitted compare(String orderId, String requestHash, String storedInput) {
        var executionArn = stateMachine.executionArn(orderId);
        var storedHash = requestHashOf(storedInput);
        if (storedHash != null && MessageDigest.isEqual(requestHash.getBytes(StandardCharsets.UTF_8),
                storedHash.getBytes(StandardCharsets.UTF_8))) {
            return new Submitted(orderId, executionArn, true);
        }
        throw conflict("This Idempotency-Key was already used with a different request body; "
                + "send the original body to get its order, or use a new key for a new order.");
    }

    private static String requestHashOf(String input) {
        if (input == null) {
            return null;
        }
        try {
            var hash = Json.mapper().readTree(input).path("requestHash");
            return hash.isTextual() ? hash.textValue() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static RuntimeException conflict(String detail) {
        return new Problem(409, Problem.IDEMPOTENCY_CONFLICT, "Idempotency-Key already used", detail,
                List.of(FieldError.header(IdempotencyKey.HEADER, "already used for a different request")), null)
                .toException();
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("execution input not serializable", e);
        }
    }
}
