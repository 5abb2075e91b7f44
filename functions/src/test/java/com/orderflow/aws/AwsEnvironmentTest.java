package com.orderflow.aws;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsEnvironmentTest {

    @Test
    void readsEveryVariable_andTreatsBlankAsUnset() {
        var env = AwsEnvironment.from(Map.of(
                "AWS_REGION", "eu-west-1",
                "ORDERS_BUCKET", "orders-dev",
                "STATE_MACHINE_ARN", "arn:aws:states:eu-west-1:123456789012:stateMachine:orderflow-dev",
                "S3_ENDPOINT_URL", "http://127.0.0.1:9090",
                "SFN_ENDPOINT_URL", " "));

        assertThat(env.region()).isEqualTo("eu-west-1");
        assertThat(env.requireOrdersBucket()).isEqualTo("orders-dev");
        assertThat(env.stateMachineArn()).endsWith(":orderflow-dev");
        assertThat(env.s3EndpointOverride()).isEqualTo(URI.create("http://127.0.0.1:9090"));
        assertThat(env.sfnEndpointOverride()).isNull();
        assertThat(env.hasStaticCredentials()).isFalse();
    }

    @Test
    void malformedEndpoint_failsWithTheVariableName() {
        assertThatThrownBy(() -> AwsEnvironment.from(Map.of("S3_ENDPOINT_URL", "http://bad host")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("S3_ENDPOINT_URL is not a URL: http://bad host");
    }

    @Test
    void endpointOverride_buildsAPathStyleClientForThatEndpoint() {
        try (var s3 = AwsEnvironment.from(Map.of("S3_ENDPOINT_URL", "http://127.0.0.1:9090")).newS3Client()) {
            var config = s3.serviceClientConfiguration();

            assertThat(config.endpointOverride()).contains(URI.create("http://127.0.0.1:9090"));
            assertThat(config.region().id()).isEqualTo("us-east-1");
        }
    }
}
