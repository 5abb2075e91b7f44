package com.orderflow.cdk.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The CloudFormation template of the toolkit stack that bootstrap deploys, what {@code cdk bootstrap} calls
 * {@code CDKToolkit}: the assets bucket, its TLS-only policy, and the outputs deploys read. Written here rather than
 * synthesized, so that bootstrapping needs neither Node.js nor the CDK app.
 */
public final class ToolkitTemplate {

    /** Raised when the template changes in a way a deploy must know of; deploys refuse an older toolkit stack. */
    static final int VERSION = 1;

    static final String BUCKET_ID = "AssetsBucket";
    static final String POLICY_ID = "AssetsBucketPolicy";
    static final String BUCKET_OUTPUT = "AssetsBucketName";
    static final String VERSION_OUTPUT = "ToolkitVersion";

    /** Old asset versions and replaced assets expire after this many days; a rollback needs only recent ones. */
    static final int NONCURRENT_EXPIRY_DAYS = 30;
    /** Templates over CloudFormation's inline limit are uploaded under this prefix; only a deploy reads them. */
    static final String TEMPLATE_PREFIX = "templates/";
    static final int TEMPLATE_EXPIRY_DAYS = 30;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ToolkitTemplate() {
    }

    /** The template as JSON; {@code tlsOnly} false leaves the bucket policy out (see {@link AssetsBucket#tlsOnly}). */
    public static String json(boolean tlsOnly) {
        try {
            return CloudAssembly.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(build(tlsOnly));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serializes", e);
        }
    }

    static ObjectNode build(boolean tlsOnly) {
        var template = NODES.objectNode();
        template.put("AWSTemplateFormatVersion", "2010-09-09");
        template.put("Description", "orderflow toolkit (mvn -Pbootstrap): the bucket the deployer uploads Lambda code"
                + " and large templates to, one per account and region");
        var resources = template.putObject("Resources");
        resources.set(BUCKET_ID, bucket());
        if (tlsOnly) {
            resources.set(POLICY_ID, tlsOnlyPolicy());
        }
        var outputs = template.putObject("Outputs");
        var bucketOutput = outputs.putObject(BUCKET_OUTPUT);
        bucketOutput.put("Description", "The bucket deploys upload file assets and large templates to");
        bucketOutput.putObject("Value").put("Ref", BUCKET_ID);
        var versionOutput = outputs.putObject(VERSION_OUTPUT);
        versionOutput.put("Description", "The toolkit template's version; a deploy that needs a newer one asks for bootstrap");
        versionOutput.put("Value", String.valueOf(VERSION));
        return template;
    }

    private static ObjectNode bucket() {
        var bucket = NODES.objectNode();
        bucket.put("Type", "AWS::S3::Bucket");
        // as CDKToolkit's staging bucket: deleting the toolkit stack must not take the Lambda code of deployed stacks
        bucket.put("DeletionPolicy", "Retain");
        bucket.put("UpdateReplacePolicy", "Retain");
        var properties = bucket.putObject("Properties");
        // the app's synthesizer names this bucket in its asset manifest, so the name is fixed, not generated
        properties.putObject("BucketName").put("Fn::Sub", AssetsBucket.NAME_PATTERN);
        var encryption = properties.putObject("BucketEncryption").putArray("ServerSideEncryptionConfiguration").addObject();
        encryption.putObject("ServerSideEncryptionByDefault").put("SSEAlgorithm", "AES256");
        encryption.put("BucketKeyEnabled", true);
        properties.putObject("PublicAccessBlockConfiguration")
                .put("BlockPublicAcls", true).put("IgnorePublicAcls", true)
                .put("BlockPublicPolicy", true).put("RestrictPublicBuckets", true);
        properties.putObject("VersioningConfiguration").put("Status", "Enabled");
        var rules = properties.putObject("LifecycleConfiguration").putArray("Rules");
        // current asset objects stay: a rollback re-reads the previous Lambda code from its key
        var oldVersions = rules.addObject().put("Id", "expire-old-asset-versions").put("Status", "Enabled");
        oldVersions.putObject("NoncurrentVersionExpiration").put("NoncurrentDays", NONCURRENT_EXPIRY_DAYS);
        oldVersions.putObject("AbortIncompleteMultipartUpload").put("DaysAfterInitiation", 1);
        rules.addObject().put("Id", "expire-uploaded-templates").put("Status", "Enabled")
                .put("Prefix", TEMPLATE_PREFIX).put("ExpirationInDays", TEMPLATE_EXPIRY_DAYS);
        var suppression = bucket.putObject("Metadata").putObject("cdk_nag").putArray("rules_to_suppress").addObject();
        suppression.put("id", "AwsSolutions-S1");
        suppression.put("reason", "Only the deployer writes here (content-hashed Lambda code and templates, with the"
                + " caller's own credentials); server access logs would need a second bucket per account and region,"
                + " and CDK's own bootstrap bucket has none either");
        return bucket;
    }

    private static ObjectNode tlsOnlyPolicy() {
        var policy = NODES.objectNode();
        policy.put("Type", "AWS::S3::BucketPolicy");
        var properties = policy.putObject("Properties");
        properties.putObject("Bucket").put("Ref", BUCKET_ID);
        var document = properties.putObject("PolicyDocument");
        document.put("Version", "2012-10-17");
        var statement = document.putArray("Statement").addObject();
        statement.put("Sid", "DenyInsecureTransport");
        statement.put("Effect", "Deny");
        statement.put("Principal", "*");
        statement.put("Action", "s3:*");
        var resource = statement.putArray("Resource");
        resource.add(bucketArn());
        var objects = resource.addObject().putArray("Fn::Join");
        objects.add("");
        objects.addArray().add(bucketArn()).add("/*");
        statement.putObject("Condition").putObject("Bool").put("aws:SecureTransport", "false");
        return policy;
    }

    private static ObjectNode bucketArn() {
        var getAtt = NODES.objectNode();
        ArrayNode args = getAtt.putArray("Fn::GetAtt");
        args.add(BUCKET_ID).add("Arn");
        return getAtt;
    }
}
