package com.orderflow.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.api.ids.OrderIdGenerator;
import com.orderflow.api.ids.SecureRandomOrderIdGenerator;
import com.orderflow.json.Json;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The local S3 and the Step Functions stub on loopback, and ApiHandlers wired to them, one fresh bucket each. */
final class ApiTestStack implements AutoCloseable {

    static final String STATE_MACHINE_ARN = "arn:aws:states:us-east-1:123456789012:stateMachine:orderflow-test-order-workflow";
    static final Path EVENTS = Path.of("..", "events", "apigw");
    static final Path PAYLOADS = Path.of("..", "test-payloads");

    private static final AtomicInteger BUCKETS = new AtomicInteger();
    private static ApiTestStack shared;

    /** One stack for every test class in the JVM: one S3 is enough; each test takes its own bucket. */
    static synchronized ApiTestStack shared() {
        if (shared == null) {
            shared = new ApiTestStack();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    final LocalS3Fixture s3 = LocalS3Fixture.start("orderflow-bootstrap");
    final StepFunctionsStub sfn = StepFunctionsStub.start(STATE_MACHINE_ARN);
    final SfnClient sfnClient = SfnClient.builder()
            .endpointOverride(sfn.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .httpClient(UrlConnectionHttpClient.create())
            .build();

    /** A new, empty, versioned bucket. */
    String newBucket() {
        var bucket = "orders-" + BUCKETS.incrementAndGet();
        s3.client().createBucket(b -> b.bucket(bucket));
        s3.client().putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status("Enabled")));
        return bucket;
    }

    ApiHandler handler(String bucket) {
        return handler(bucket, null, new SecureRandomOrderIdGenerator(Clock.systemUTC()));
    }

    ApiHandler handler(String bucket, String executionViewBaseUrl, OrderIdGenerator ids) {
        return new ApiHandler(new ApiConfig(bucket, STATE_MACHINE_ARN, executionViewBaseUrl), s3.client(), sfnClient, ids);
    }

    @Override
    public void close() {
        sfnClient.close();
        sfn.close();
        s3.close();
    }

    // ---- events ----

    static APIGatewayProxyRequestEvent event(String fileName) {
        try {
            return Json.mapper().readValue(Files.readAllBytes(EVENTS.resolve(fileName)), APIGatewayProxyRequestEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String payload(String fileName) {
        try {
            return Files.readString(PAYLOADS.resolve(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A REST proxy event as API Gateway sends it for {@code method path}, with the {@code /dev} stage. */
    static APIGatewayProxyRequestEvent request(String method, String path, Map<String, String> headers, String body) {
        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setStage("dev");
        context.setPath("/dev" + path);
        context.setRequestId("test-request");
        context.setHttpMethod(method);
        var identity = new APIGatewayProxyRequestEvent.RequestIdentity();
        identity.setSourceIp("198.51.100.7");
        context.setIdentity(identity);
        var query = new HashMap<String, String>();
        var plainPath = path;
        var q = path.indexOf('?');
        if (q >= 0) {
            plainPath = path.substring(0, q);
            for (var pair : path.substring(q + 1).split("&")) {
                var eq = pair.indexOf('=');
                query.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : decodeQueryValue(pair.substring(eq + 1)));
            }
            context.setPath("/dev" + plainPath);
        }
        return new APIGatewayProxyRequestEvent()
                .withHttpMethod(method)
                .withPath(plainPath)
                .withHeaders(headers)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withBody(body)
                .withIsBase64Encoded(false)
                .withRequestContext(context);
    }

    /** As API Gateway decodes a query value; text that is not valid percent-encoding passes through as is. */
    private static String decodeQueryValue(String raw) {
        try {
            return java.net.URLDecoder.decode(raw, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    static APIGatewayProxyRequestEvent postJson(String body, Map<String, String> extraHeaders) {
        var headers = new HashMap<>(extraHeaders);
        headers.putIfAbsent("Content-Type", "application/json");
        return request("POST", "/orders", headers, body);
    }

    static APIGatewayProxyRequestEvent get(String pathAndQuery) {
        return request("GET", pathAndQuery, Map.of("Accept", "application/json"), null);
    }

    // ---- replies ----

    /** What the handler answered, with the body parsed (null when it is not JSON). */
    record Reply(int status, Map<String, String> headers, String rawBody, JsonNode json) {

        static Reply of(APIGatewayProxyResponseEvent response) {
            JsonNode json;
            try {
                json = response.getBody() == null ? null : Json.mapper().readTree(response.getBody());
            } catch (IOException e) {
                json = null;
            }
            return new Reply(response.getStatusCode(), response.getHeaders() == null ? Map.of() : response.getHeaders(),
                    response.getBody(), json);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }

        List<String> errorPointers() {
            var pointers = new ArrayList<String>();
            json.path("errors").forEach(e -> pointers.add(e.has("pointer") ? e.get("pointer").asText()
                    : e.has("parameter") ? "?" + e.get("parameter").asText() : "header:" + e.path("header").asText()));
            return pointers;
        }
    }

    static Reply call(ApiHandler handler, APIGatewayProxyRequestEvent event) {
        return Reply.of(handler.handleRequest(event, null));
    }
}
