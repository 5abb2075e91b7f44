package com.orderflow.local.s3;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Takes the {@code Expect: 100-continue} header off the uploads of {@link LocalS3Server#clientFor}'s clients. S3's
 * own interceptor puts it on every PutObject and UploadPart, so the JDK's HTTP client sends the head, waits for the
 * server's {@code 100 Continue}, and only then sends the body: one more round trip and two more thread wake-ups per
 * upload. Against S3 over a network that spares a large body that would be refused; on loopback, for the stack's
 * order records of a few hundred bytes, it only doubled the exchanges of four of the five S3 requests an order makes
 * (JFR: the wait for {@code 100 Continue} was 3 % of the stack's allocation). A client's own interceptors run after
 * the service's, so the header is gone by the time the request is sent ({@code LocalClientRequestsTest} reads the
 * wire). The SDK has an {@code S3Configuration} switch for this only from a later version than the project's.
 */
final class UploadsInOneRoundTrip implements ExecutionInterceptor {

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes executionAttributes) {
        var request = context.httpRequest();
        return request.firstMatchingHeader("Expect").isPresent() ? request.toBuilder().removeHeader("Expect").build()
                : request;
    }
}
