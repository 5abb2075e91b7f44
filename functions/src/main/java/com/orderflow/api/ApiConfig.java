package com.orderflow.api;

import com.orderflow.api.http.CorsPolicy;
import com.orderflow.api.orders.OrderSubmission;
import com.orderflow.aws.AwsEnvironment;
import com.orderflow.priming.PrimingTransport;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.time.Duration;
import java.util.Map;

/**
 * What the API needs beyond the SDK clients: the orders bucket, the workflow's state machine, locally the address of
 * the execution view ({@code EXECUTION_VIEW_BASE_URL}; unset means link the AWS console), and the browser origins
 * allowed to call it ({@code CORS_ALLOWED_ORIGINS}; unset means none).
 */
public record ApiConfig(String ordersBucket, String stateMachineArn, String executionViewBaseUrl, CorsPolicy cors) {

    public static final String EXECUTION_VIEW_BASE_URL = "EXECUTION_VIEW_BASE_URL";
    /** Comma-separated origin patterns, as {@link CorsPolicy#parseOrigins} reads them. */
    public static final String CORS_ALLOWED_ORIGINS = "CORS_ALLOWED_ORIGINS";

    /** Well inside API Gateway's 29 s integration timeout, so a slow dependency yields our 503, not a gateway's. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    public ApiConfig {
        require(ordersBucket, AwsEnvironment.ORDERS_BUCKET);
        require(stateMachineArn, AwsEnvironment.STATE_MACHINE_ARN);
        if (executionViewBaseUrl != null && executionViewBaseUrl.isBlank()) {
            executionViewBaseUrl = null;
        }
        cors = cors == null ? CorsPolicy.OFF : cors;
    }

    /** Without CORS. */
    public ApiConfig(String ordersBucket, String stateMachineArn, String executionViewBaseUrl) {
        this(ordersBucket, stateMachineArn, executionViewBaseUrl, CorsPolicy.OFF);
    }

    /** The configuration from Lambda's environment variables; fails at init when a required one is missing. */
    public static ApiConfig fromEnvironment(Map<String, String> env) {
        return new ApiConfig(env.get(AwsEnvironment.ORDERS_BUCKET), env.get(AwsEnvironment.STATE_MACHINE_ARN),
                env.get(EXECUTION_VIEW_BASE_URL), CorsPolicy.load(env.get(CORS_ALLOWED_ORIGINS)));
    }

    /**
     * A Step Functions client built like {@link AwsEnvironment#newS3Client()} builds S3's: URLConnection transport,
     * region from the environment, default credentials, and placeholder credentials for a loopback endpoint
     * when none are configured.
     */
    static SfnClient newSfnClient(AwsEnvironment aws) {
        var builder = SfnClient.builder()
                // SnapStart priming answers this client's calls in-process (see PrimingTransport)
                .httpClient(PrimingTransport.wrap(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(10))
                        .build()))
                // the API answers a throttled start with 503 at once (see OrderSubmission); its reads may retry once too
                .overrideConfiguration(ClientOverrideConfiguration.builder().apiCallTimeout(CALL_TIMEOUT)
                        .retryStrategy(OrderSubmission.START_RETRIES)
                        .addExecutionInterceptor(PrimingTransport.MARKER).build());
        if (aws.region() != null) {
            builder.region(Region.of(aws.region()));
        }
        if (aws.sfnEndpointOverride() != null) {
            builder.endpointOverride(aws.sfnEndpointOverride())
                    .credentialsProvider(aws.hasStaticCredentials()
                            ? DefaultCredentialsProvider.builder().build()
                            : StaticCredentialsProvider.create(AwsBasicCredentials.create("orderflow-local", "orderflow-local")));
            if (aws.region() == null) {
                builder.region(Region.US_EAST_1);
            }
        }
        return builder.build();
    }

    private static void require(String value, String variable) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + variable + " is required");
        }
    }
}
