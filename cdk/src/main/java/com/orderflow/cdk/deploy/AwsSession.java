package com.orderflow.cdk.deploy;

import java.time.Duration;
import java.util.Locale;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The AWS account and region a run works in, with its clients; opening one proves the credentials work.
 */
public final class AwsSession implements AutoCloseable {

    private final SdkHttpClient http;
    private final CloudFormationClient cloudFormation;
    private final S3Client s3;
    private final Region region;
    private final String account;
    private final String callerArn;
    private final ServiceEndpoints endpoints;

    private AwsSession(SdkHttpClient http, CloudFormationClient cloudFormation, S3Client s3, Region region,
                       String account, String callerArn) {
        this.http = http;
        this.endpoints = new ServiceEndpoints(cloudFormation.serviceClientConfiguration().endpointOverride().orElse(null),
                s3.serviceClientConfiguration().endpointOverride().orElse(null));
        this.cloudFormation = cloudFormation;
        this.s3 = s3;
        this.region = region;
        this.account = account;
        this.callerArn = callerArn;
    }

    /**
     * Resolves the region and the caller identity before anything else, so that missing or expired credentials
     * fail in seconds with one line naming the fix instead of deep inside a deployment.
     */
    public static AwsSession open(DeployerConfig config) {
        var region = resolveRegion(config);
        var http = UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(30))
                .build();
        String account;
        String arn;
        try (var sts = identityClient(config, region)) {
            var identity = sts.getCallerIdentity();
            account = identity.account();
            arn = identity.arn();
        } catch (StsException e) {
            http.close();
            throw rejected(config, e);
        } catch (SdkClientException e) {
            http.close();
            throw unavailable(config, e);
        }
        var cloudFormation = CloudFormationClient.builder()
                .httpClient(http)
                .region(region)
                .credentialsProvider(config.credentials());
        if (config.cloudFormationEndpoint() != null) {
            cloudFormation.endpointOverride(config.cloudFormationEndpoint());
        }
        return new AwsSession(http, cloudFormation.build(), s3Client(config, http, region), region, account, arn);
    }

    /**
     * An S3 client that addresses buckets as the endpoint in use expects: virtual-hosted on AWS, path-style on an
     * endpoint of one's own (set in the config, or by the SDK from AWS_ENDPOINT_URL and its kin), which seldom
     * has the wildcard DNS that {@code <bucket>.<host>} needs.
     */
    private static S3Client s3Client(DeployerConfig config, SdkHttpClient http, Region region) {
        var builder = S3Client.builder()
                .httpClient(http)
                .region(region)
                .credentialsProvider(config.credentials());
        if (config.s3Endpoint() != null) {
            builder.endpointOverride(config.s3Endpoint());
        }
        var client = builder.build();
        if (client.serviceClientConfiguration().endpointOverride().isEmpty()) {
            return client;
        }
        // the SDK found the override itself (environment or profile): only a built client tells, so build again
        client.close();
        return builder.forcePathStyle(true).build();
    }

    private static Region resolveRegion(DeployerConfig config) {
        try {
            return config.region().getRegion();
        } catch (SdkClientException e) {
            throw new DeployException("No AWS region: set AWS_REGION (e.g. export AWS_REGION=eu-west-1)"
                    + " or add 'region = ...' to your profile in ~/.aws/config");
        }
    }

    /** A client that gives up quickly: one attempt, short timeouts, because it only answers "are we logged in?". */
    private static StsClient identityClient(DeployerConfig config, Region region) {
        var builder = StsClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(5)))
                .region(region)
                .credentialsProvider(config.credentials())
                .overrideConfiguration(c -> c
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofSeconds(8))
                        .apiCallTimeout(Duration.ofSeconds(10)));
        if (config.stsEndpoint() != null) {
            builder.endpointOverride(config.stsEndpoint());
        }
        return builder.build();
    }

    private static String loginHint(DeployerConfig config) {
        var profile = config.profileName() == null ? "<your-profile>" : config.profileName();
        return "run `aws sso login --profile " + profile + "` or set AWS_PROFILE / AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";
    }

    private static DeployException rejected(DeployerConfig config, StsException e) {
        var code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        return switch (code) {
            case "ExpiredToken", "ExpiredTokenException", "RequestExpired" ->
                    new DeployException("AWS credentials expired (" + code + "): " + loginHint(config), e);
            case "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException" ->
                    new DeployException("AWS rejected the credentials (" + code + "): " + loginHint(config), e);
            default -> new DeployException("AWS STS refused GetCallerIdentity (" + code + ": "
                    + e.awsErrorDetails().errorMessage() + "): " + loginHint(config), e);
        };
    }

    private static DeployException unavailable(DeployerConfig config, SdkClientException e) {
        var message = String.valueOf(e.getMessage());
        var lower = message.toLowerCase(Locale.ROOT);
        // the chain's message lists every provider it tried (one is named "WebIdentityToken"), so match SSO phrases only
        if (lower.contains("sso session") || lower.contains("sso token") || lower.contains("ssotoken")
                || lower.contains("aws sso login")) {
            return new DeployException("AWS SSO session expired or missing: " + loginHint(config), e);
        }
        if (lower.contains("credential")) {
            return new DeployException("No AWS credentials: " + loginHint(config), e);
        }
        return new DeployException("Cannot reach AWS STS to check credentials (" + firstLine(message)
                + "): check your network or proxy, then retry", e);
    }

    private static String firstLine(String text) {
        var end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    public CloudFormationClient cloudFormation() {
        return cloudFormation;
    }

    public S3Client s3() {
        return s3;
    }

    public Region region() {
        return region;
    }

    public String account() {
        return account;
    }

    public String callerArn() {
        return callerArn;
    }

    /** The endpoints in use: AWS's, or overrides such as a local emulator's. */
    public ServiceEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        cloudFormation.close();
        s3.close();
        http.close();
    }
}
