package com.orderflow.aws;

import com.orderflow.priming.PrimingTransport;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * The settings a Lambda reads from its environment, and the one place SDK clients are built from them
 * (URL-connection HTTP client, region from {@code AWS_REGION}, optional loopback endpoint overrides).
 */
public record AwsEnvironment(
        String region,
        URI s3EndpointOverride,
        URI sfnEndpointOverride,
        String ordersBucket,
        String stateMachineArn,
        boolean hasStaticCredentials) {

    public static final String ORDERS_BUCKET = "ORDERS_BUCKET";
    public static final String STATE_MACHINE_ARN = "STATE_MACHINE_ARN";
    public static final String AWS_REGION = "AWS_REGION";
    public static final String S3_ENDPOINT_URL = "S3_ENDPOINT_URL";
    public static final String SFN_ENDPOINT_URL = "SFN_ENDPOINT_URL";

    /** Credentials for endpoint overrides when none are configured: loopback emulators do not check them. */
    private static final AwsCredentialsProvider LOCAL_CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("orderflow-local", "orderflow-local"));

    public static AwsEnvironment fromSystem() {
        return from(System.getenv());
    }

    public static AwsEnvironment from(Map<String, String> env) {
        return new AwsEnvironment(
                blankToNull(env.get(AWS_REGION)),
                uriOrNull(env, S3_ENDPOINT_URL),
                uriOrNull(env, SFN_ENDPOINT_URL),
                blankToNull(env.get(ORDERS_BUCKET)),
                blankToNull(env.get(STATE_MACHINE_ARN)),
                blankToNull(env.get("AWS_ACCESS_KEY_ID")) != null);
    }

    /** The orders bucket; a Lambda without it is misconfigured, so this fails fast at construction. */
    public String requireOrdersBucket() {
        if (ordersBucket == null) {
            throw new IllegalStateException(ORDERS_BUCKET + " is not set");
        }
        return ordersBucket;
    }

    /** A new S3 client; build it once per handler instance and keep it. */
    public S3Client newS3Client() {
        var builder = S3Client.builder()
                // SnapStart priming answers this client's calls in-process (see PrimingTransport)
                .httpClient(PrimingTransport.wrap(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(2))
                        .socketTimeout(Duration.ofSeconds(10))
                        .build()))
                .overrideConfiguration(c -> c.addExecutionInterceptor(PrimingTransport.MARKER));
        if (region != null) {
            builder.region(Region.of(region));
        }
        if (s3EndpointOverride != null) {
            // emulators serve buckets by path, and only optionally understand the SDK's default checksums; over their
            // plain HTTP the SDK would sign every aws-chunked chunk (and buffer 128 KiB an upload): one signed payload
            builder.endpointOverride(s3EndpointOverride)
                    .forcePathStyle(true)
                    .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                    .credentialsProvider(hasStaticCredentials ? DefaultCredentialsProvider.builder().build() : LOCAL_CREDENTIALS);
            if (region == null) {
                builder.region(Region.US_EAST_1);
            }
        }
        return builder.build();
    }

    private static URI uriOrNull(Map<String, String> env, String name) {
        var value = blankToNull(env.get(name));
        if (value == null) {
            return null;
        }
        try {
            return URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " is not a URL: " + value, e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
