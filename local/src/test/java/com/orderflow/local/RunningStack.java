package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import com.orderflow.local.console.Console;
import com.orderflow.local.s3.LocalS3Server;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/**
 * The local stack started in process on free ports, and the clients a user would point at it:
 * an HTTP client for the API and AWS SDK clients for S3 and Step Functions.
 */
final class RunningStack implements AutoCloseable {

    static final Path ROOT = LocalStackConfig.findProjectRoot(Path.of("").toAbsolutePath())
            .orElseThrow(() -> new IllegalStateException("no project root above " + Path.of("").toAbsolutePath()));

    private static final Set<String> FINAL = Set.of("COMPLETED", "REJECTED", "FAILED");
    private static final Duration FINAL_STATUS_WAIT = Duration.ofSeconds(60);

    final LocalStack stack;
    final List<String> progress = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final S3Client s3;
    final SfnClient sfn;

    private RunningStack(LocalStackConfig config) {
        this(progress -> LocalStack.start(config, progress, new PrintStream(OutputStream.nullOutputStream())));
    }

    /** {@code start} is given where the stack's start-up lines go. */
    private RunningStack(Function<Consumer<String>, LocalStack> start) {
        this.stack = start.apply(progress::add);
        this.s3 = LocalS3Server.clientFor(stack.s3Endpoint());
        this.sfn = SfnClient.builder()
                .endpointOverride(stack.sfnEndpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    static LocalStackConfig config(Path dataDir, boolean inMemory) {
        return LocalStackConfig.resolve(List.of("--root=" + ROOT), Map.of(), Map.of(), ROOT)
                .withPorts(0, 0, 0)
                .withStorage(dataDir, inMemory);
    }

    static RunningStack inMemory(Path scratch) {
        return new RunningStack(config(scratch, true));
    }

    /** In memory, telling {@code console} everything it would tell a user's terminal. */
    static RunningStack inMemory(Path scratch, Console console) {
        return new RunningStack(progress -> LocalStack.start(config(scratch, true), console));
    }

    /** In memory, with extra options as a user gives them ({@code --cors-origin=off}). */
    static RunningStack inMemory(Path scratch, String... options) {
        var args = new ArrayList<String>(List.of("--root=" + ROOT));
        args.addAll(List.of(options));
        return new RunningStack(LocalStackConfig.resolve(args, Map.of(), Map.of(), ROOT).withPorts(0, 0, 0)
                .withStorage(scratch, true));
    }

    static RunningStack persistent(Path dataDir) {
        return new RunningStack(config(dataDir, false));
    }

    static String payload(String fileName) throws Exception {
        return Files.readString(ROOT.resolve("test-payloads").resolve(fileName));
    }

    URI api(String path) {
        return URI.create(stack.apiEndpoint() + path);
    }

    HttpResponse<String> post(String body, String idempotencyKey) throws Exception {
        var request = HttpRequest.newBuilder(api("/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(api(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode getJson(String path) throws Exception {
        var response = get(path);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return Json.mapper().readTree(response.body());
    }

    /** Posts a body and returns the accepted order's id. */
    String accept(String body, String idempotencyKey) throws Exception {
        var response = post(body, idempotencyKey);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return Json.mapper().readTree(response.body()).path("orderId").asText();
    }

    /** Polls GET /orders/{id} the way a client would until the order reaches a final status. */
    JsonNode awaitFinal(String orderId) throws Exception {
        long deadline = System.nanoTime() + FINAL_STATUS_WAIT.toNanos();
        JsonNode order;
        do {
            var response = get("/orders/" + orderId);
            order = response.statusCode() == 200 ? Json.mapper().readTree(response.body()) : null;
            if (order != null && FINAL.contains(order.path("status").asText())) {
                return order;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("order " + orderId + " did not reach a final status; last seen: " + order);
    }

    String executionArn(String orderId) {
        return "arn:aws:states:us-east-1:000000000000:execution:" + LocalStack.STATE_MACHINE_NAME + ":" + orderId;
    }

    /**
     * The whole history of the order's execution, read once the execution has ended: the order's final status is
     * written to S3 by the workflow's last Task, a moment before the execution records its own end.
     */
    List<HistoryEvent> history(String orderId) throws InterruptedException {
        if (awaitEnd(executionArn(orderId), FINAL_STATUS_WAIT).status() == ExecutionStatus.RUNNING) {
            throw new AssertionError("execution of " + orderId + " still RUNNING after " + FINAL_STATUS_WAIT);
        }
        var events = new ArrayList<HistoryEvent>();
        sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn(orderId))).events().forEach(events::add);
        return events;
    }

    /** The execution described once it has ended, or as it is after {@code wait} (then still RUNNING). */
    DescribeExecutionResponse awaitEnd(String executionArn, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            var described = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (described.status() != ExecutionStatus.RUNNING || System.nanoTime() > deadline) {
                return described;
            }
            Thread.sleep(20);
        }
    }

    /** Every key under {@code orders/} in the orders bucket, read through the S3 API. */
    Set<String> storedKeys() {
        var keys = new HashSet<String>();
        s3.listObjectsV2Paginator(b -> b.bucket(stack.config().bucket()).prefix("orders/"))
                .contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    /** The name of every execution of the order workflow, read through the Step Functions API. */
    Set<String> executionNames() {
        var names = new HashSet<String>();
        sfn.listExecutionsPaginator(b -> b.stateMachineArn(stack.stateMachineArn()))
                .executions().forEach(e -> names.add(e.name()));
        return names;
    }

    @Override
    public void close() {
        s3.close();
        sfn.close();
        http.close();
        stack.close();
    }
}
