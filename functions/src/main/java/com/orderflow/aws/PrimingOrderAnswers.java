package com.orderflow.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.orderflow.json.Json;
import com.orderflow.order.Order;
import com.orderflow.order.OrderOutcome;
import com.orderflow.order.OrderRecord;
import com.orderflow.order.PrimingOrders;
import com.orderflow.priming.CannedAnswers;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * What the orders bucket and the workflow answer while a handler is primed, as if the priming order
 * ({@link PrimingOrders}) were the one order stored and its execution running: a listing and the version history
 * naming it, its record for GetObject, a version id for PutObject, an empty answer for DeleteObject, a started
 * execution for StartExecution. Any other key does not exist.
 */
public final class PrimingOrderAnswers implements CannedAnswers {

    public static final PrimingOrderAnswers INSTANCE = new PrimingOrderAnswers();

    private static final String ORDER_ID = PrimingOrders.ORDER_ID;
    private static final String EXECUTION_ARN = PrimingOrders.EXECUTION_ARN;

    private PrimingOrderAnswers() {
    }

    @Override
    public HttpExecuteResponse answer(SdkHttpRequest request) {
        var operation = CannedAnswers.awsJsonOperation(request);
        return operation != null ? workflow(operation) : bucket(request);
    }

    private static HttpExecuteResponse workflow(String operation) {
        return switch (operation) {
            case "StartExecution" -> CannedAnswers.awsJson(200, """
                    {"executionArn":"%s","startDate":1.7E9}""".formatted(EXECUTION_ARN));
            case "DescribeExecution" -> CannedAnswers.awsJson(200, """
                    {"executionArn":"%s","stateMachineArn":"%s","name":"%s","status":"RUNNING","startDate":1.7E9,\
                    "input":"{\\"requestHash\\":\\"priming\\"}"}""".formatted(EXECUTION_ARN,
                    EXECUTION_ARN.replace(":execution:", ":stateMachine:").replace(":" + ORDER_ID, ""), ORDER_ID));
            default -> CannedAnswers.awsJson(400, "{\"__type\":\"InvalidArn\",\"message\":\"priming\"}");
        };
    }

    private static HttpExecuteResponse bucket(SdkHttpRequest request) {
        var query = request.rawQueryParameters();
        if (request.method() == SdkHttpMethod.PUT) {
            return CannedAnswers.object("application/xml", "", "\"priming\"", "priming-version");
        }
        if (request.method() == SdkHttpMethod.DELETE) {
            return CannedAnswers.deleted();
        }
        if (request.method() == SdkHttpMethod.GET && query.containsKey("list-type")) {
            return CannedAnswers.xml("""
                    <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>priming</Name>\
                    <Prefix>orders/</Prefix><KeyCount>1</KeyCount><MaxKeys>20</MaxKeys><IsTruncated>false</IsTruncated>\
                    <Contents><Key>orders/%s.json</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>\
                    <ETag>"priming"</ETag><Size>512</Size><StorageClass>STANDARD</StorageClass></Contents>\
                    </ListBucketResult>""".formatted(ORDER_ID));
        }
        if (request.method() == SdkHttpMethod.GET && query.containsKey("versions")) {
            return CannedAnswers.xml("""
                    <ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>priming</Name>\
                    <Prefix>orders/%1$s.json</Prefix><IsTruncated>false</IsTruncated>\
                    <Version><Key>orders/%1$s.json</Key><VersionId>priming-version</VersionId><IsLatest>true</IsLatest>\
                    <LastModified>2026-01-01T00:00:00.000Z</LastModified><ETag>"priming"</ETag><Size>512</Size>\
                    <StorageClass>STANDARD</StorageClass></Version></ListVersionsResult>""".formatted(ORDER_ID));
        }
        if (request.method() == SdkHttpMethod.GET && request.encodedPath().endsWith(".json")) {
            return CannedAnswers.object("application/json", RecordHolder.RECORD, "\"priming\"", "priming-version");
        }
        return CannedAnswers.noSuchKey();
    }

    /** The stored record a primed GetObject returns, built on first use (never in a handler's class initialization). */
    private static final class RecordHolder {

        static final String RECORD = record();

        private static String record() {
            try {
                var order = Json.mapper().readValue(PrimingOrders.COMPLETING, Order.class);
                return Json.mapper().writeValueAsString(OrderRecord.of(order, OrderOutcome.received(), EXECUTION_ARN, Instant.EPOCH));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
