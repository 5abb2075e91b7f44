package com.orderflow.cdk.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.orderflow.cdk.OrderflowStack;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** When bootstrap gives the assets bucket its TLS-only policy, how it says so, and the bucket's name. */
class AssetsBucketTest {

    @Test
    void aws_alwaysGetsTheTlsOnlyPolicy_andRefusesTheOptOut() {
        assertThat(AssetsBucket.tlsOnly(ServiceEndpoints.AWS, true)).isTrue();
        var awsByUrl = new ServiceEndpoints(null, URI.create("https://s3.eu-west-1.amazonaws.com"));
        assertThat(AssetsBucket.tlsOnly(awsByUrl, true)).isTrue();

        assertThatThrownBy(() -> AssetsBucket.tlsOnly(ServiceEndpoints.AWS, false))
                .isInstanceOf(DeployException.class).hasMessageStartingWith("TLS-only access stays on for AWS");
        assertThatThrownBy(() -> AssetsBucket.tlsOnly(awsByUrl, false))
                .isInstanceOf(DeployException.class).hasMessageStartingWith("TLS-only access stays on for AWS");
    }

    @Test
    void plainHttpEndpoint_refusesTheTlsOnlyPolicy_namingTheOptOut_whichItThenTakes() {
        var local = new ServiceEndpoints(URI.create("http://localhost:5000"), URI.create("http://localhost:5000"));

        assertThatThrownBy(() -> AssetsBucket.tlsOnly(local, true))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("http://localhost:5000 is plain http")
                .hasMessageContaining("-Dorderflow.assets.tlsOnly=false");
        assertThat(AssetsBucket.tlsOnly(local, false)).isFalse();
    }

    @Test
    void httpsEndpointOfOnesOwn_keepsTheTlsOnlyPolicy() {
        var local = new ServiceEndpoints(null, URI.create("https://s3.internal.example:9000"));

        assertThat(AssetsBucket.tlsOnly(local, true)).isTrue();
        assertThat(local.s3IsAws()).isFalse();
    }

    @Test
    void theOptOut_isPrintedAsAWarning_neverSilently() {
        assertThat(AssetsBucket.policyLine(false)).startsWith("  policy: none. WARNING: -Dorderflow.assets.tlsOnly=false");
        assertThat(AssetsBucket.policyLine(true)).contains("TLS-only").doesNotContain("WARNING");
    }

    @Test
    void bucketName_isTheOneTheAppsSynthesizerUploadsTo() {
        assertThat(AssetsBucket.NAME_PATTERN).isEqualTo(OrderflowStack.ASSETS_BUCKET);
        assertThat(AssetsBucket.nameFor("123456789012", "eu-west-1")).isEqualTo("orderflow-assets-123456789012-eu-west-1");
    }
}
