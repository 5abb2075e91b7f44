package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderflow.api.ApiConfig;
import com.orderflow.api.ApiHandler;
import com.orderflow.api.ids.SecureRandomOrderIdGenerator;
import com.orderflow.json.Json;
import com.orderflow.local.apigw.ApiGatewayServer;
import com.orderflow.local.apigw.RouteTemplates;
import com.orderflow.local.sfn.StepFunctionsConfig;
import com.orderflow.local.sfn.StepFunctionsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The real API function behind the local API front end, in front of a Step Functions endpoint that holds one open
 * execution: the order it cannot take is refused at once with 503, Retry-After and a problem, and nothing is
 * started that the engine could not finish. The SfnClient is built as the local stack builds it (the SDK's
 * default retries).
 */
class BackpressureTest {

    private static final String HOLD = """
            {"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":600,"End":true}}}""";

    private StepFunctionsServer sfn;
    private SfnClient sfnClient;
    private S3Client s3Client;
    private ApiGatewayServer api;
    private final HttpClient http = HttpClient.newHttpClient();
    private String stateMachineArn;

    @BeforeEach
    void start() throws Exception {
        sfn = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).maxOpenExecutions(1).build());
        stateMachineArn = sfn.stateMachines().create("orders", HOLD, LocalStack.ROLE_ARN,
                com.orderflow.local.sfn.StateMachine.StateMachineType.STANDARD).arn();
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
        sfnClient = SfnClient.builder().endpointOverride(URI.create(sfn.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        // POST /orders never reads S3; a closed port makes sure of it
        s3Client = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:9")).region(Region.US_EAST_1)
                .credentialsProvider(credentials).httpClient(UrlConnectionHttpClient.create()).build();
        var handler = new ApiHandler(new ApiConfig("orders", stateMachineArn, null), s3Client, sfnClient,
                new SecureRandomOrderIdGenerator(Clock.systemUTC()));
        api = ApiGatewayServer.start(new ApiGatewayServer.Settings(0, RouteTemplates.ORDERFLOW, "local", "api",
                "arn:aws:lambda:us-east-1:000000000000:function:api:live", line -> { }, line -> { }), handler);
    }

    @AfterEach
    void stop() {
        api.close();
        sfnClient.close();
        s3Client.close();
        sfn.close();
    }

    private HttpResponse<String> post() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(RunningStack.payload("order-completed.json"))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anOrderPastTheEnginesLimit_is503WithRetryAfter_andStartsNothing() throws Exception {
        assertThat(post().statusCode()).isEqualTo(202);

        var refused = post();

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
        var problem = Json.mapper().readTree(refused.body());
        assertThat(problem.path("status").asInt()).isEqualTo(503);
        assertThat(problem.path("detail").asText()).contains("none was created");
        assertThat(sfn.api().runningCount()).isEqualTo(1);
        assertThat(sfnClient.listExecutions(b -> b.stateMachineArn(stateMachineArn)).executions()).hasSize(1);
    }
}
