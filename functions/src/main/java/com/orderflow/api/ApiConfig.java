package com.orderflow.api;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * What the API needs from its environment: the orders bucket, the workflow's state machine, the region and the
 * optional local endpoints and execution-view address.
 *
 * @param s3Endpoint            {@code S3_ENDPOINT_URL}: a local S3 (then addressed path-style), or null for AWS
 * @param sfnEndpoint           {@code SFN_ENDPOINT_URL}: a local Step Functions API, or null for AWS
 * @param executionViewBaseUrl  {@code EXECUTION_VIEW_BASE_URL}: the local execution page, or null to link the AWS console
 */
public record ApiConfig(
        String ordersBucket,
        String stateMachineArn,
        String region,
        URI s3Endpoint,
        URI sfnEndpoint,
        String executionViewBaseUrl) {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);
    /** Well inside API Gateway's 29 s integration timeout, so the client gets our 5xx rather than a gateway's. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(20);

    public ApiConfig {
        require(ordersBucket, "ORDERS_BUCKET");
        require(stateMachineArn, "STATE_MACHINE_ARN");
        require(region, "AWS_REGION");
        if (executionViewBaseUrl != null && executionViewBaseUrl.isBlank()) {
            executionViewBaseUrl = null;
        }
    }

    /** The configuration from Lambda's environment variables; fails at init when a required one is missing. */
    public static ApiConfig fromEnvironment(Map<String, String> env) {
        return new ApiConfig(
                env.get("ORDERS_BUCKET"),
                env.get("STATE_MACHINE_ARN"),
                env.get("AWS_REGION"),
                uriOrNull(env.get("S3_ENDPOINT_URL")),
                uriOrNull(env.get("SFN_ENDPOINT_URL")),
                env.get("EXECUTION_VIEW_BASE_URL"));
    }

    /** An S3 client for this configuration: default credentials chain, URLConnection transport. */
    public S3Client newS3Client() {
        var builder = S3Client.builder()
                .httpClientBuilder(httpClient())
                .region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(overrides());
        if (s3Endpoint != null) {
            // local S3 servers neither resolve virtual-hosted bucket names nor know the newer flexible checksums
            builder.endpointOverride(s3Endpoint)
                    .forcePathStyle(true)
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        return builder.build();
    }

    /** A Step Functions client for this configuration. */
    public SfnClient newSfnClient() {
        var builder = SfnClient.builder()
                .httpClientBuilder(httpClient())
                .region(Region.of(region))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(overrides());
        if (sfnEndpoint != null) {
            builder.endpointOverride(sfnEndpoint);
        }
        return builder.build();
    }

    private static UrlConnectionHttpClient.Builder httpClient() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(SOCKET_TIMEOUT);
    }

    private static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder().apiCallTimeout(CALL_TIMEOUT).build();
    }

    private static URI uriOrNull(String value) {
        return value == null || value.isBlank() ? null : URI.create(value.strip());
    }

    private static void require(String value, String variable) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("environment variable " + variable + " is required");
        }
    }
}
