package com.orderflow.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import software.amazon.awscdk.assertions.Match;

/** The orders bucket and its access-log bucket, as synthesized for the dev stage. */
class StorageConstructTest {

    private static SynthesizedStack synth;
    private static String ordersId;
    private static String logsId;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.dev();
        ordersId = synth.logicalId("AWS::S3::Bucket", "StorageOrders");
        logsId = synth.logicalId("AWS::S3::Bucket", "StorageAccessLogs");
    }

    @Test
    void ordersBucket_isVersioned_encrypted_andBlocksAllPublicAccess() {
        var props = synth.resource(ordersId).path("Properties");

        assertThat(props.at("/VersioningConfiguration/Status").asText()).isEqualTo("Enabled");
        assertThat(props.at("/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm").asText())
                .isEqualTo("AES256");
        assertThat(props.path("PublicAccessBlockConfiguration").properties())
                .extracting(Map.Entry::getKey, e -> e.getValue().asBoolean())
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("BlockPublicAcls", true),
                        org.assertj.core.groups.Tuple.tuple("BlockPublicPolicy", true),
                        org.assertj.core.groups.Tuple.tuple("IgnorePublicAcls", true),
                        org.assertj.core.groups.Tuple.tuple("RestrictPublicBuckets", true));
        assertThat(props.at("/OwnershipControls/Rules/0/ObjectOwnership").asText()).isEqualTo("BucketOwnerEnforced");
    }

    @Test
    void bothBuckets_denyEveryRequestWithoutTls() {
        for (var bucketId : List.of(ordersId, logsId)) {
            var policy = policyOf(bucketId);
            var tlsDenies = streamOf(policy.at("/Properties/PolicyDocument/Statement")).stream()
                    .filter(s -> s.path("Effect").asText().equals("Deny"))
                    .filter(s -> s.at("/Condition/Bool/aws:SecureTransport").asText().equals("false"))
                    .filter(s -> s.path("Action").asText().equals("s3:*"))
                    .toList();
            assertThat(tlsDenies).as("TLS deny statement on %s", bucketId).hasSize(1);
        }
    }

    @Test
    void ordersBucket_writesServerAccessLogsToTheSeparateLogBucket() {
        var logging = synth.resource(ordersId).at("/Properties/LoggingConfiguration");

        assertThat(SynthesizedStack.referencedId(logging.path("DestinationBucketName"))).isEqualTo(logsId);
        assertThat(logging.path("LogFilePrefix").asText()).isNotBlank();
        // the log bucket receives the logs through its policy (ACLs are disabled on new buckets)
        var delivery = streamOf(policyOf(logsId).at("/Properties/PolicyDocument/Statement")).stream()
                .filter(s -> s.at("/Principal/Service").asText().equals("logging.s3.amazonaws.com"))
                .toList();
        assertThat(delivery).hasSize(1);
        assertThat(delivery.getFirst().path("Action").asText()).isEqualTo("s3:PutObject");
    }

    @Test
    void ordersBucket_expiresNoncurrentVersionsAfterThirtyDays_inDev() {
        synth.template().hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "LifecycleConfiguration", Map.of("Rules", Match.arrayWith(List.of(
                        Match.objectLike(Map.of(
                                "Id", "expire-old-history",
                                "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 30),
                                "AbortIncompleteMultipartUpload", Map.of("DaysAfterInitiation", 1),
                                "Status", "Enabled")),
                        Match.objectLike(Map.of("ExpiredObjectDeleteMarker", true, "Status", "Enabled"))))))));
    }

    @Test
    void movedIndexEntries_goAfterADay_soListingsDoNotWadeThroughDeleteMarkers() {
        synth.template().hasResourceProperties("AWS::S3::Bucket", Match.objectLike(Map.of(
                "LifecycleConfiguration", Map.of("Rules", Match.arrayWith(List.of(
                        Match.objectLike(Map.of(
                                "Id", "expire-moved-index-entries",
                                "Prefix", "order-index/",
                                "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 1),
                                "Status", "Enabled"))))))));
    }

    @Test
    void devBuckets_areDeletedWithTheStack_withoutAutoDeleteCustomResource() {
        assertThat(synth.resource(ordersId).path("DeletionPolicy").asText()).isEqualTo("Delete");
        assertThat(synth.resource(logsId).path("DeletionPolicy").asText()).isEqualTo("Delete");
        assertThat(synth.json().path("Resources").toString()).doesNotContain("Custom::S3AutoDeleteObjects");
    }

    private static JsonNode policyOf(String bucketId) {
        return synth.resources("AWS::S3::BucketPolicy").stream()
                .filter(p -> bucketId.equals(SynthesizedStack.referencedId(p.at("/Properties/Bucket"))))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no bucket policy for " + bucketId));
    }

    static List<JsonNode> streamOf(JsonNode array) {
        var list = new java.util.ArrayList<JsonNode>();
        array.forEach(list::add);
        return list;
    }
}
