package com.orderflow.cdk.deploy;

import java.io.PrintStream;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketLocationConstraint;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The one bucket deploys need, {@code orderflow-assets-<account>-<region>}: Lambda code and large templates go
 * there. Bootstrapping creates it and nothing else (no roles, no SSM parameter, no bootstrap stack).
 */
public final class AssetsBucket {

    /** Old asset versions and replaced assets expire after this many days; a rollback needs only recent ones. */
    static final int NONCURRENT_EXPIRY_DAYS = 30;

    /** Templates over CloudFormation's inline limit are uploaded under this prefix; only a deploy reads them. */
    static final String TEMPLATE_PREFIX = "templates/";
    static final int TEMPLATE_EXPIRY_DAYS = 30;

    private final S3Client s3;
    private final String name;
    private final Region region;

    public AssetsBucket(S3Client s3, String account, Region region) {
        this.s3 = s3;
        this.name = nameFor(account, region.id());
        this.region = region;
    }

    public static String nameFor(String account, String region) {
        return "orderflow-assets-" + account + "-" + region;
    }

    public String name() {
        return name;
    }

    public boolean exists() {
        try {
            s3.headBucket(b -> b.bucket(name));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            if (e.statusCode() == 403) {
                throw new DeployException("Bucket " + name + " exists but you may not use it (403): it belongs to"
                        + " another account, or your role lacks s3:ListBucket on it", e);
            }
            throw new DeployException("Cannot check bucket " + name + " (" + e.statusCode() + " "
                    + AssetPublisher.errorCode(e) + ")", e);
        }
    }

    /** Fails with the command to run when the bucket is missing. */
    public void requireExists(String stage) {
        if (!exists()) {
            throw new DeployException("Assets bucket " + name + " does not exist in " + region.id()
                    + ": run `mvn -Pbootstrap -Dstage=" + stage + "` once for this account and region");
        }
    }

    /**
     * Decides whether bootstrap gives the bucket its TLS-only policy: always on AWS; over a plain-http endpoint of
     * one's own the policy would refuse every request, so there it takes the explicit opt-out, printed by {@link #create}.
     */
    static boolean tlsOnly(ServiceEndpoints endpoints, boolean requested, PrintStream out) {
        var property = "-D" + DeployerConfig.TLS_ONLY_PROPERTY + "=false";
        if (!requested && endpoints.s3IsAws()) {
            throw new DeployException("TLS-only access stays on for AWS: " + property + " applies only to an S3 endpoint"
                    + " of your own (AWS_ENDPOINT_URL pointing at a local emulator); drop it and run again");
        }
        if (requested && endpoints.s3PlainHttp()) {
            throw new DeployException("The S3 endpoint " + endpoints.s3() + " is plain http, and the assets bucket's"
                    + " TLS-only policy (aws:SecureTransport) would refuse every upload over it: use an https endpoint,"
                    + " or for a local emulator bootstrap with " + property);
        }
        return requested;
    }

    /** Creates and secures the bucket, which must not exist yet, with the TLS-only policy unless told (see {@link #tlsOnly}). */
    public void create(PrintStream out, boolean tlsOnly) {
        out.println("Creating bucket " + name + " in " + region.id());
        s3.createBucket(b -> {
            b.bucket(name);
            // us-east-1 is the one region that rejects an explicit location constraint
            if (!Region.US_EAST_1.equals(region)) {
                b.createBucketConfiguration(c -> c.locationConstraint(BucketLocationConstraint.fromValue(region.id())));
            }
        });
        out.println("  blocking public access");
        s3.putPublicAccessBlock(b -> b.bucket(name).publicAccessBlockConfiguration(c -> c
                .blockPublicAcls(true).ignorePublicAcls(true).blockPublicPolicy(true).restrictPublicBuckets(true)));
        out.println("  default encryption SSE-S3");
        s3.putBucketEncryption(b -> b.bucket(name).serverSideEncryptionConfiguration(c -> c
                .rules(r -> r.applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256))
                        .bucketKeyEnabled(true))));
        out.println("  versioning on");
        s3.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(c -> c.status(BucketVersioningStatus.ENABLED)));
        out.println("  lifecycle: old versions expire after " + NONCURRENT_EXPIRY_DAYS + " days, uploaded templates after "
                + TEMPLATE_EXPIRY_DAYS);
        // current asset objects stay: a rollback re-reads the previous Lambda code from its key
        s3.putBucketLifecycleConfiguration(b -> b.bucket(name).lifecycleConfiguration(c -> c.rules(
                r -> r.id("expire-old-asset-versions").status(ExpirationStatus.ENABLED)
                        .filter(f -> f.prefix(""))
                        .noncurrentVersionExpiration(e -> e.noncurrentDays(NONCURRENT_EXPIRY_DAYS))
                        .abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(1)),
                r -> r.id("expire-uploaded-templates").status(ExpirationStatus.ENABLED)
                        .filter(f -> f.prefix(TEMPLATE_PREFIX))
                        .expiration(e -> e.days(TEMPLATE_EXPIRY_DAYS)))));
        if (tlsOnly) {
            out.println("  policy: TLS-only access");
            s3.putBucketPolicy(b -> b.bucket(name).policy(tlsOnlyPolicy()));
        } else {
            out.println("  policy: none. WARNING: -D" + DeployerConfig.TLS_ONLY_PROPERTY + "=false: no TLS-only policy,"
                    + " as asked for this endpoint, which is not AWS");
        }
    }

    String tlsOnlyPolicy() {
        var partition = AssetManifest.resolve("${AWS::Partition}", "", region.id());
        var arn = "arn:" + partition + ":s3:::" + name;
        return """
                {"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny","Principal":"*",\
                "Action":"s3:*","Resource":["%s","%s/*"],\
                "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}""".formatted(arn, arn);
    }
}
