package com.orderflow.cdk.deploy;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The one bucket deploys need, {@code orderflow-assets-<account>-<region>}: Lambda code and large templates go there.
 * It belongs to the toolkit stack ({@link ToolkitStack}), which bootstrap deploys; this class only looks at it.
 */
public final class AssetsBucket {

    /** The bucket's name with CloudFormation's pseudo parameters, as the toolkit template and the app's synthesizer give it. */
    public static final String NAME_PATTERN = "orderflow-assets-${AWS::AccountId}-${AWS::Region}";

    private final S3Client s3;
    private final String name;

    public AssetsBucket(S3Client s3, String name) {
        this.s3 = s3;
        this.name = name;
    }

    public static String nameFor(String account, String region) {
        return AssetManifest.resolve(NAME_PATTERN, account, region);
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

    /**
     * Decides whether bootstrap gives the bucket its TLS-only policy: always on AWS; over a plain-http endpoint of
     * one's own the policy would refuse every request, so there it takes the explicit opt-out (printed by {@link #policyLine}).
     */
    static boolean tlsOnly(ServiceEndpoints endpoints, boolean requested) {
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

    /** What bootstrap prints about the bucket policy; the opt-out is a warning, never silent. */
    static String policyLine(boolean tlsOnly) {
        return tlsOnly ? "  policy: TLS-only access (denies every request without aws:SecureTransport)"
                : "  policy: none. WARNING: -D" + DeployerConfig.TLS_ONLY_PROPERTY + "=false: no TLS-only policy, as asked"
                        + " for this endpoint, which is not AWS";
    }
}
