package com.orderflow.local.s3;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.endpoints.AwsEndpointAttribute;
import software.amazon.awssdk.awscore.endpoints.authscheme.SigV4AuthScheme;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/** The shortcut resolves exactly what the SDK's S3 rules resolve, for what it covers and for what it hands on. */
class PathStyleEndpointTest {

    private static final S3EndpointProvider RULES = S3EndpointProvider.defaultProvider();

    @ParameterizedTest(name = "{0} at {1} in {2}")
    @CsvSource(nullValues = "NONE", value = {
            "orderflow-orders-local, http://127.0.0.1:9090, us-east-1, orders/ord_1.json",
            "orderflow-orders-local, http://127.0.0.1:9090/, eu-west-1, orders/ord_1.json",
            "orders.with.dots, http://localhost:4566, us-east-1, NONE",
            // handed to the rules: no bucket (ListBuckets), a directory bucket, an access point ARN, a name refused
            "NONE, http://127.0.0.1:9090, us-east-1, NONE",
            "orders--use1-az4--x-s3, http://127.0.0.1:9090, us-east-1, a",
            "arn:aws:s3:us-east-1:123456789012:accesspoint/orders, http://127.0.0.1:9090, us-east-1, a",
            "Not_A_Bucket, http://127.0.0.1:9090, us-east-1, a",
    })
    void resolvesWhatTheSdkRulesResolve(String bucket, String endpoint, String region, String key) {
        var params = S3EndpointParams.builder()
                .bucket(bucket).key(key).endpoint(endpoint).region(Region.of(region))
                .forcePathStyle(true).useFips(false).useDualStack(false).accelerate(false)
                .useGlobalEndpoint(false).useArnRegion(false).disableMultiRegionAccessPoints(false)
                .build();
        var shortcut = new PathStyleEndpoint(URI.create(endpoint), Region.of(region));

        var expected = outcome(RULES, params);

        assertThat(outcome(shortcut, params)).isEqualTo(expected);
        assertThat(outcome(shortcut, params)).as("again, from what it kept").isEqualTo(expected);
    }

    @Test
    void theBucketItKept_withASettingItDoesNotCover_goesToTheRules() {
        var shortcut = new PathStyleEndpoint(URI.create("http://127.0.0.1:9090"), Region.US_EAST_1);
        var plain = S3EndpointParams.builder().bucket("orders").endpoint("http://127.0.0.1:9090")
                .region(Region.US_EAST_1).forcePathStyle(true).build();
        var dualStack = plain.toBuilder().useDualStack(true).build();
        outcome(shortcut, plain);

        assertThat(outcome(shortcut, dualStack)).isEqualTo(outcome(RULES, dualStack));
    }

    @Test
    void aPlainBucket_goesToThePathUnderTheEndpoint_signedForS3() {
        var params = S3EndpointParams.builder().bucket("orderflow-orders-local").endpoint("http://127.0.0.1:9090/")
                .region(Region.EU_WEST_1).forcePathStyle(true).build();

        var endpoint = new PathStyleEndpoint(URI.create("http://127.0.0.1:9090/"), Region.EU_WEST_1)
                .resolveEndpoint(params).join();

        assertThat(endpoint.url()).isEqualTo(URI.create("http://127.0.0.1:9090/orderflow-orders-local"));
        assertThat(endpoint.attribute(AwsEndpointAttribute.AUTH_SCHEMES)).singleElement()
                .isInstanceOfSatisfying(SigV4AuthScheme.class, sigv4 -> {
                    assertThat(sigv4.signingName()).isEqualTo("s3");
                    assertThat(sigv4.signingRegion()).isEqualTo("eu-west-1");
                    assertThat(sigv4.disableDoubleEncoding()).isTrue();
                });
    }

    /** The URL and the auth schemes of a resolution, or the error it failed with. */
    private static String outcome(S3EndpointProvider provider, S3EndpointParams params) {
        try {
            Endpoint endpoint = provider.resolveEndpoint(params).join();
            return endpoint.url() + " " + endpoint.attribute(AwsEndpointAttribute.AUTH_SCHEMES);
        } catch (RuntimeException e) {
            return "failed: " + e.getMessage();
        }
    }
}
