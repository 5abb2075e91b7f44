package com.orderflow.priming;

import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP answers a primed handler's SDK calls get in-process, by request: the right shape for the service (JSON
 * for Step Functions, XML or an object body for S3), so that the SDK's response path and the handler's code after
 * the call are warmed too. The builders here know the services' wire formats, nothing of any handler.
 */
@FunctionalInterface
public interface CannedAnswers {

    /** Every call answered 400, as a service answers a request it cannot take. */
    CannedAnswers NONE = request -> awsJson(400, "{\"__type\":\"ValidationException\",\"message\":\"priming\"}");

    /** The answer to {@code request}. */
    HttpExecuteResponse answer(SdkHttpRequest request);

    /** The Step Functions operation a request calls ({@code StartExecution}), or null for another service. */
    static String awsJsonOperation(SdkHttpRequest request) {
        return request.firstMatchingHeader("X-Amz-Target").map(t -> t.substring(t.indexOf('.') + 1)).orElse(null);
    }

    /** An AWS JSON protocol answer (Step Functions). */
    static HttpExecuteResponse awsJson(int status, String body) {
        return response(status, "application/x-amz-json-1.0", body, null, null);
    }

    /** An S3 XML answer. */
    static HttpExecuteResponse xml(String body) {
        return response(200, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body, null, null);
    }

    /** An S3 object (or a PutObject's empty answer) with its ETag and version id. */
    static HttpExecuteResponse object(String contentType, String body, String etag, String versionId) {
        return response(200, contentType, body, etag, versionId);
    }

    /** S3's answer to a DeleteObject, whether the key existed or not. */
    static HttpExecuteResponse deleted() {
        return response(204, "application/xml", "", null, null);
    }

    /** S3's answer for a key that does not exist. */
    static HttpExecuteResponse noSuchKey() {
        return response(404, "application/xml", "<Error><Code>NoSuchKey</Code><Message>priming</Message></Error>", null, null);
    }

    private static HttpExecuteResponse response(int status, String contentType, String body, String etag, String versionId) {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        var response = SdkHttpResponse.builder()
                .statusCode(status)
                .putHeader("Content-Type", contentType)
                .putHeader("Content-Length", Integer.toString(bytes.length))
                .putHeader("Last-Modified", "Thu, 01 Jan 2026 00:00:00 GMT")
                .putHeader("x-amz-request-id", "priming");
        if (etag != null) {
            response.putHeader("ETag", etag);
        }
        if (versionId != null) {
            response.putHeader("x-amz-version-id", versionId);
        }
        return HttpExecuteResponse.builder()
                .response(response.build())
                .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                .build();
    }
}
