package com.orderflow.local.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.local.engine.TaskContext;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.TaskInvoker;
import com.orderflow.local.engine.expr.JsonText;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The AWS SDK integrations {@code arn:aws:states:::aws-sdk:s3:<action>} for S3's object actions, run against the
 * local S3: Parameters and result in the model's PascalCase, GetObject's and PutObject's {@code Body} as text (a
 * JSON object or array is written as its JSON text), an S3 error as {@code S3.<Name>Exception} with the SDK's message
 * as the cause, as Step Functions names them. Any other {@code aws-sdk:} resource cannot run here; every resource
 * that is not one goes to the task invoker this wraps.
 */
public final class AwsSdkS3Tasks implements TaskInvoker {

    /** What every SDK integration's Resource starts with. */
    public static final String SDK_PREFIX = "arn:aws:states:::aws-sdk:";
    private static final String S3_PREFIX = SDK_PREFIX + "s3:";
    /** The largest result a state may hand on (256 KiB), so no larger body is read. */
    private static final int MAX_BODY_BYTES = 262_144;

    /** The Java SDK calls CopyObject's target what S3's model calls {@code Bucket} and {@code Key}. */
    private static final Map<String, String> COPY_TARGET = Map.of("Bucket", "DestinationBucket", "Key", "DestinationKey");

    /** One S3 action: its Parameters to its result. */
    private interface Action {
        JsonNode run(JsonNode parameters) throws TaskFailedException;
    }

    private final TaskInvoker others;
    private final Map<String, Action> actions;

    public AwsSdkS3Tasks(TaskInvoker others, LocalS3Objects s3) {
        this.others = others;
        this.actions = Map.of(
                "getObject", p -> getObject(s3, p),
                "putObject", p -> {
                    var request = SdkShapes.fill(PutObjectRequest.builder(), p, "putObject", Set.of("Body")).build();
                    return SdkShapes.toJson(s3.putText(request, bodyText(p.path("Body"))));
                },
                "deleteObject", p -> SdkShapes.toJson(s3.delete(
                        SdkShapes.fill(DeleteObjectRequest.builder(), p, "deleteObject", Set.of()).build())),
                "headObject", p -> SdkShapes.toJson(s3.head(
                        SdkShapes.fill(HeadObjectRequest.builder(), p, "headObject", Set.of()).build())),
                "copyObject", p -> SdkShapes.toJson(s3.copy(SdkShapes.fill(CopyObjectRequest.builder(), p, "copyObject",
                        Set.of(), COPY_TARGET).build())),
                "listObjectsV2", p -> SdkShapes.toJson(s3.list(
                        SdkShapes.fill(ListObjectsV2Request.builder(), p, "listObjectsV2", Set.of()).build())),
                "listObjectVersions", p -> SdkShapes.toJson(s3.listVersions(
                        SdkShapes.fill(ListObjectVersionsRequest.builder(), p, "listObjectVersions", Set.of()).build())));
    }

    private static boolean isSdk(String resource) {
        return resource.startsWith(SDK_PREFIX);
    }

    @Override
    public Optional<String> whyNotRunnable(String resource) {
        if (!isSdk(resource)) {
            return others.whyNotRunnable(resource);
        }
        if (resource.startsWith(S3_PREFIX) && actions.containsKey(resource.substring(S3_PREFIX.length()))) {
            return Optional.empty();
        }
        return Optional.of("of the AWS SDK integrations the local stack runs only aws-sdk:s3 with the actions "
                + actions.keySet().stream().sorted().toList());
    }

    @Override
    public Optional<String> whyNoTaskToken(String resource) {
        return isSdk(resource) ? Optional.of("the local stack runs AWS SDK integrations as Request Response only")
                : others.whyNoTaskToken(resource);
    }

    @Override
    public JsonNode invoke(String resource, JsonNode parameters, TaskContext context) throws TaskFailedException {
        if (!isSdk(resource)) {
            return others.invoke(resource, parameters, context);
        }
        Action action = resource.startsWith(S3_PREFIX) ? actions.get(resource.substring(S3_PREFIX.length())) : null;
        if (action == null) {
            throw new TaskFailedException("States.Runtime", "The resource '" + resource + "' cannot run here: "
                    + whyNotRunnable(resource).orElse(""));
        }
        try {
            return action.run(parameters);
        } catch (S3Exception e) {
            throw new TaskFailedException("S3." + errorName(e), cause(e));
        } catch (SdkClientException e) {
            throw new TaskFailedException("S3.SdkClientException", e.getMessage());
        } catch (LocalS3Objects.TooLargeException e) {
            throw new TaskFailedException("States.DataLimitExceeded", "The state/task '" + resource
                    + "' returned a result with a size exceeding the maximum number of bytes service limit.");
        }
    }

    private static JsonNode getObject(LocalS3Objects s3, JsonNode parameters) throws TaskFailedException {
        var request = SdkShapes.fill(GetObjectRequest.builder(), parameters, "getObject", Set.of()).build();
        var object = s3.getText(request, MAX_BODY_BYTES);
        var result = SdkShapes.toJson(object.response());
        result.put("Body", object.body());
        return result;
    }

    /** A text Body as it is; a JSON object, array, number or boolean as its JSON text; none as an empty object. */
    private static String bodyText(JsonNode body) {
        if (body.isMissingNode() || body.isNull()) {
            return "";
        }
        return body.isTextual() ? body.textValue() : JsonText.write(body);
    }

    /**
     * The cause Step Functions gives: the SDK's message without its local retry count, e.g. {@code The specified key
     * does not exist. (Service: S3, Status Code: 404, Request ID: …, Extended Request ID: …)}.
     */
    static String cause(S3Exception e) {
        String message = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null
                ? e.awsErrorDetails().errorMessage() : "null";
        return message + " (Service: S3, Status Code: " + e.statusCode() + ", Request ID: " + e.requestId()
                + (e.extendedRequestId() == null ? "" : ", Extended Request ID: " + e.extendedRequestId()) + ")";
    }

    /**
     * The error name Step Functions gives: the modeled exception's name, else S3's error code, always ending in
     * {@code Exception} ({@code NoSuchKey} is {@code S3.NoSuchKeyException}).
     */
    static String errorName(S3Exception e) {
        String name = e.getClass() != S3Exception.class ? e.getClass().getSimpleName()
                : e.awsErrorDetails() != null && e.awsErrorDetails().errorCode() != null
                ? e.awsErrorDetails().errorCode() : "S3Exception";
        return name.endsWith("Exception") ? name : name + "Exception";
    }
}
