package com.orderflow.cdk.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * The toolkit template bootstrap deploys, read as CloudFormation reads it: here every bucket setting is checked,
 * including those moto's CloudFormation ignores ({@link DeployerMotoTest#BUCKET_PROPERTIES_MOTO_IGNORES}).
 */
class ToolkitTemplateTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode template(boolean tlsOnly) throws Exception {
        return JSON.readTree(ToolkitTemplate.json(tlsOnly));
    }

    static JsonNode bucketProperties(JsonNode template) {
        return template.path("Resources").path(ToolkitTemplate.BUCKET_ID).path("Properties");
    }

    @Test
    void bucket_isNamedForAccountAndRegion_andOutlivesTheStack() throws Exception {
        var bucket = template(true).path("Resources").path(ToolkitTemplate.BUCKET_ID);

        assertThat(bucket.path("Type").asText()).isEqualTo("AWS::S3::Bucket");
        assertThat(bucket.at("/Properties/BucketName/Fn::Sub").asText()).isEqualTo("orderflow-assets-${AWS::AccountId}-${AWS::Region}");
        assertThat(bucket.path("DeletionPolicy").asText()).isEqualTo("Retain");
        assertThat(bucket.path("UpdateReplacePolicy").asText()).isEqualTo("Retain");
    }

    @Test
    void bucket_isEncryptedWithSseS3_andABucketKey() throws Exception {
        var rule = bucketProperties(template(true)).at("/BucketEncryption/ServerSideEncryptionConfiguration/0");

        assertThat(rule.at("/ServerSideEncryptionByDefault/SSEAlgorithm").asText()).isEqualTo("AES256");
        assertThat(rule.path("BucketKeyEnabled").asBoolean()).isTrue();
    }

    @Test
    void theSettingsMotoIgnores_areAllInTheTemplate_asSet() throws Exception {
        var properties = bucketProperties(template(true));

        assertThat(DeployerMotoTest.BUCKET_PROPERTIES_MOTO_IGNORES)
                .allSatisfy(pointer -> assertThat(properties.at(pointer).isMissingNode()).as(pointer).isFalse());
        assertThat(properties.at("/BucketEncryption/ServerSideEncryptionConfiguration/0/BucketKeyEnabled").asBoolean()).isTrue();
        assertThat(properties.at("/VersioningConfiguration/Status").asText()).isEqualTo("Enabled");
        var block = properties.path("PublicAccessBlockConfiguration");
        assertThat(block.properties()).extracting(e -> e.getKey() + "=" + e.getValue().asBoolean()).containsExactlyInAnyOrder(
                "BlockPublicAcls=true", "IgnorePublicAcls=true", "BlockPublicPolicy=true", "RestrictPublicBuckets=true");
        var rules = properties.at("/LifecycleConfiguration/Rules");
        assertThat(rules).hasSize(2);
        var oldVersions = rules.get(0);
        assertThat(oldVersions.path("Id").asText()).isEqualTo("expire-old-asset-versions");
        assertThat(oldVersions.path("Status").asText()).isEqualTo("Enabled");
        assertThat(oldVersions.has("Prefix")).as("applies to every key").isFalse();
        assertThat(oldVersions.at("/NoncurrentVersionExpiration/NoncurrentDays").asInt()).isEqualTo(30);
        assertThat(oldVersions.at("/AbortIncompleteMultipartUpload/DaysAfterInitiation").asInt()).isEqualTo(1);
        assertThat(oldVersions.has("ExpirationInDays")).as("current assets stay: a rollback reads them").isFalse();
        var templates = rules.get(1);
        assertThat(templates.path("Id").asText()).isEqualTo("expire-uploaded-templates");
        assertThat(templates.path("Prefix").asText()).isEqualTo(ToolkitTemplate.TEMPLATE_PREFIX);
        assertThat(templates.path("ExpirationInDays").asInt()).isEqualTo(30);
    }

    @Test
    void tlsOnly_addsAPolicyDenyingEveryActionWithoutSecureTransport_onTheBucketAndItsObjects() throws Exception {
        var policy = template(true).path("Resources").path(ToolkitTemplate.POLICY_ID);

        assertThat(policy.path("Type").asText()).isEqualTo("AWS::S3::BucketPolicy");
        assertThat(policy.at("/Properties/Bucket/Ref").asText()).isEqualTo(ToolkitTemplate.BUCKET_ID);
        var statements = policy.at("/Properties/PolicyDocument/Statement");
        assertThat(statements).hasSize(1);
        var statement = statements.get(0);
        assertThat(statement.path("Effect").asText()).isEqualTo("Deny");
        assertThat(statement.path("Principal").asText()).isEqualTo("*");
        assertThat(statement.path("Action").asText()).isEqualTo("s3:*");
        assertThat(statement.path("Resource").toString()).isEqualTo("[{\"Fn::GetAtt\":[\"AssetsBucket\",\"Arn\"]},"
                + "{\"Fn::Join\":[\"\",[{\"Fn::GetAtt\":[\"AssetsBucket\",\"Arn\"]},\"/*\"]]}]");
        assertThat(statement.at("/Condition/Bool/aws:SecureTransport").asText()).isEqualTo("false");
    }

    @Test
    void withoutTlsOnly_theBucketHasNoPolicy_andIsOtherwiseTheSame() throws Exception {
        var open = template(false);
        var secured = template(true);

        assertThat(MotoDeployTest.fieldNames(open.path("Resources"))).containsExactly(ToolkitTemplate.BUCKET_ID);
        assertThat(bucketProperties(open)).isEqualTo(bucketProperties(secured));
    }

    @Test
    void outputs_nameTheBucket_andTheToolkitVersion() throws Exception {
        var outputs = template(true).path("Outputs");

        assertThat(MotoDeployTest.fieldNames(outputs)).containsExactlyInAnyOrder("AssetsBucketName", "ToolkitVersion");
        assertThat(outputs.at("/AssetsBucketName/Value/Ref").asText()).isEqualTo(ToolkitTemplate.BUCKET_ID);
        assertThat(outputs.at("/ToolkitVersion/Value").asText()).isEqualTo(String.valueOf(ToolkitTemplate.VERSION));
    }

    @Test
    void template_travelsInline() {
        assertThat(ToolkitTemplate.json(true).getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
                .isLessThan(StackDeployment.INLINE_TEMPLATE_LIMIT);
    }
}
