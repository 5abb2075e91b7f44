package com.orderflow.cdk.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/** When bootstrap gives the assets bucket its TLS-only policy, and what that policy says. */
class AssetsBucketTest {

    final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void aws_alwaysGetsTheTlsOnlyPolicy_andRefusesTheOptOut() {
        assertThat(AssetsBucket.tlsOnly(ServiceEndpoints.AWS, true, out)).isTrue();
        var awsByUrl = new ServiceEndpoints(null, URI.create("https://s3.eu-west-1.amazonaws.com"));
        assertThat(AssetsBucket.tlsOnly(awsByUrl, true, out)).isTrue();

        assertThatThrownBy(() -> AssetsBucket.tlsOnly(ServiceEndpoints.AWS, false, out))
                .isInstanceOf(DeployException.class).hasMessageStartingWith("TLS-only access stays on for AWS");
        assertThatThrownBy(() -> AssetsBucket.tlsOnly(awsByUrl, false, out))
                .isInstanceOf(DeployException.class).hasMessageStartingWith("TLS-only access stays on for AWS");
    }

    @Test
    void plainHttpEndpoint_refusesTheTlsOnlyPolicy_namingTheOptOut_whichItThenTakes() {
        var local = new ServiceEndpoints(URI.create("http://localhost:5000"), URI.create("http://localhost:5000"));

        assertThatThrownBy(() -> AssetsBucket.tlsOnly(local, true, out))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("http://localhost:5000 is plain http")
                .hasMessageContaining("-Dorderflow.assets.tlsOnly=false");
        assertThat(AssetsBucket.tlsOnly(local, false, out)).isFalse();
    }

    @Test
    void httpsEndpointOfOnesOwn_keepsTheTlsOnlyPolicy() {
        var local = new ServiceEndpoints(null, URI.create("https://s3.internal.example:9000"));

        assertThat(AssetsBucket.tlsOnly(local, true, out)).isTrue();
        assertThat(local.s3IsAws()).isFalse();
    }

    @Test
    void tlsOnlyPolicy_deniesEveryActionOnTheBucketAndItsObjects_withoutSecureTransport() throws Exception {
        var policy = new ObjectMapper().readTree(new AssetsBucket(null, "123456789012", Region.EU_WEST_1).tlsOnlyPolicy());

        var statement = policy.path("Statement").get(0);
        assertThat(statement.path("Effect").asText()).isEqualTo("Deny");
        assertThat(statement.path("Principal").asText()).isEqualTo("*");
        assertThat(statement.path("Action").asText()).isEqualTo("s3:*");
        assertThat(statement.path("Resource").toString()).isEqualTo(
                "[\"arn:aws:s3:::orderflow-assets-123456789012-eu-west-1\",\"arn:aws:s3:::orderflow-assets-123456789012-eu-west-1/*\"]");
        assertThat(statement.path("Condition").path("Bool").path("aws:SecureTransport").asText()).isEqualTo("false");
    }
}
