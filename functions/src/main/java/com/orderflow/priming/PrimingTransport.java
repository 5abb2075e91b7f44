package com.orderflow.priming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.orderflow.json.Json;
import com.orderflow.order.Order;
import com.orderflow.order.OrderOutcome;
import com.orderflow.order.OrderRecord;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transport of the Lambda's own SDK clients: outside priming it hands every request to the real HTTP client;
 * while priming it answers in-process with a canned response of the right shape (an order record for GetObject, a
 * version id for PutObject, a started execution for StartExecution, ...), so the SDK's response path and the
 * handler code after the call are primed too, and nothing reaches the network.
 *
 * <p>A client gets it with {@link #wrap} and {@link #MARKER} together (see {@code AwsEnvironment}): the marker tells
 * {@link PrimingInterceptor}, which stops the primed calls of every other client, to let this client's calls
 * through to this transport.
 */
public final class PrimingTransport implements SdkHttpClient {

    /** Marks each call of a client whose transport is a {@link PrimingTransport}; add it with {@link #wrap}. */
    public static final ExecutionInterceptor MARKER = new ExecutionInterceptor() {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            attributes.putAttribute(ANSWERED_IN_PROCESS, Boolean.TRUE);
        }
    };

    static final ExecutionAttribute<Boolean> ANSWERED_IN_PROCESS = new ExecutionAttribute<>("orderflow.priming.answeredInProcess");

    private static final AtomicLong ANSWERED = new AtomicLong();
    private static final String SFN_TARGET = "X-Amz-Target";
    private static final String EXECUTION_ARN = "arn:aws:states:us-east-1:000000000000:execution:orderflow-priming:"
            + PrimingSamples.ORDER_ID;

    private final SdkHttpClient delegate;

    private PrimingTransport(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    /** {@code transport} as a Lambda client's transport; the client must also carry {@link #MARKER}. */
    public static SdkHttpClient wrap(SdkHttpClient transport) {
        return new PrimingTransport(transport);
    }

    /** SDK calls answered in-process so far in this JVM. */
    public static long answeredCalls() {
        return ANSWERED.get();
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        if (!PrimingInterceptor.active()) {
            return delegate.prepareRequest(request);
        }
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                // consume the body as the real client would, through the same stream (checksums, chunking)
                if (request.contentStreamProvider().isPresent()) {
                    try (InputStream body = request.contentStreamProvider().get().newStream()) {
                        body.transferTo(OutputStream.nullOutputStream());
                    }
                }
                ANSWERED.incrementAndGet();
                return canned(request.httpRequest());
            }

            @Override
            public void abort() {
                // nothing in flight
            }
        };
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }

    private static HttpExecuteResponse canned(SdkHttpRequest request) {
        var target = request.firstMatchingHeader(SFN_TARGET).orElse(null);
        if (target != null) {
            return switch (target.substring(target.indexOf('.') + 1)) {
                case "StartExecution" -> json(200, """
                        {"executionArn":"%s","startDate":1.7E9}""".formatted(EXECUTION_ARN));
                case "DescribeExecution" -> json(200, """
                        {"executionArn":"%s","stateMachineArn":"%s","name":"%s","status":"RUNNING","startDate":1.7E9,\
                        "input":"{\\"requestHash\\":\\"priming\\"}"}""".formatted(EXECUTION_ARN,
                        EXECUTION_ARN.replace(":execution:", ":stateMachine:").replace(":" + PrimingSamples.ORDER_ID, ""),
                        PrimingSamples.ORDER_ID));
                default -> response(400, "application/x-amz-json-1.0",
                        "{\"__type\":\"InvalidArn\",\"message\":\"priming\"}", null, null);
            };
        }
        var query = request.rawQueryParameters();
        var path = request.encodedPath();
        if (request.method() == SdkHttpMethod.PUT) {
            return response(200, "application/xml", "", "\"priming\"", "priming-version");
        }
        if (request.method() == SdkHttpMethod.GET && query.containsKey("list-type")) {
            return xml("""
                    <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>priming</Name>\
                    <Prefix>orders/</Prefix><KeyCount>1</KeyCount><MaxKeys>20</MaxKeys><IsTruncated>false</IsTruncated>\
                    <Contents><Key>orders/%s.json</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>\
                    <ETag>"priming"</ETag><Size>512</Size><StorageClass>STANDARD</StorageClass></Contents>\
                    </ListBucketResult>""".formatted(PrimingSamples.ORDER_ID));
        }
        if (request.method() == SdkHttpMethod.GET && query.containsKey("versions")) {
            return xml("""
                    <ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>priming</Name>\
                    <Prefix>orders/%1$s.json</Prefix><IsTruncated>false</IsTruncated>\
                    <Version><Key>orders/%1$s.json</Key><VersionId>priming-version</VersionId><IsLatest>true</IsLatest>\
                    <LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"priming"</ETag><Size>512</Size>\
                    <StorageClass>STANDARD</StorageClass></Version></ListVersionsResult>""".formatted(PrimingSamples.ORDER_ID));
        }
        if (request.method() == SdkHttpMethod.GET && path.endsWith(".json")) {
            return response(200, "application/json", RecordHolder.RECORD, "\"priming\"", "priming-version");
        }
        return response(404, "application/xml", "<Error><Code>NoSuchKey</Code><Message>priming</Message></Error>", null, null);
    }

    private static HttpExecuteResponse json(int status, String body) {
        return response(status, "application/x-amz-json-1.0", body, null, null);
    }

    private static HttpExecuteResponse xml(String body) {
        return response(200, "application/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body, null, null);
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

    /** The stored record a primed GetObject returns, built on first use (never in a handler's class initialization). */
    private static final class RecordHolder {

        static final String RECORD = record();

        private static String record() {
            try {
                var order = Json.mapper().readValue(PrimingSamples.PRIMING_ORDER, Order.class);
                return Json.mapper().writeValueAsString(OrderRecord.of(order, OrderOutcome.received(), EXECUTION_ARN, Instant.EPOCH));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
