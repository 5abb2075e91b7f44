package com.orderflow.cdk.deploy;

import java.net.URI;
import java.util.Locale;

/**
 * Where the deployer's CloudFormation and S3 requests go: AWS's own endpoints, or the ones set with
 * {@code AWS_ENDPOINT_URL} (or a service-specific variable, or a profile's {@code endpoint_url}), as the SDK resolved them.
 *
 * @param cloudFormation the CloudFormation endpoint override, or null for AWS's endpoint of the region
 * @param s3             the S3 endpoint override (addressed path-style), or null for AWS's endpoint of the region
 */
public record ServiceEndpoints(URI cloudFormation, URI s3) {

    /** AWS's regional endpoints on both services. */
    public static final ServiceEndpoints AWS = new ServiceEndpoints(null, null);

    /** Whether S3 is AWS itself: no override, or an override that names an AWS host. */
    public boolean s3IsAws() {
        return isAws(s3);
    }

    /** Whether CloudFormation is AWS itself. */
    public boolean cloudFormationIsAws() {
        return isAws(cloudFormation);
    }

    /** Whether both services are AWS itself. */
    public boolean isAws() {
        return isAws(cloudFormation) && isAws(s3);
    }

    /** Whether S3 is reached over plain http, where a TLS-only bucket policy refuses every request. */
    public boolean s3PlainHttp() {
        return s3 != null && "http".equalsIgnoreCase(s3.getScheme());
    }

    /** One line for the terminal, e.g. {@code CloudFormation http://localhost:5000, S3 http://localhost:5000 (path-style)}. */
    public String describe() {
        return "CloudFormation " + (cloudFormation == null ? "AWS" : cloudFormation)
                + ", S3 " + (s3 == null ? "AWS" : s3 + " (path-style)");
    }

    private static boolean isAws(URI endpoint) {
        if (endpoint == null) {
            return true;
        }
        var host = String.valueOf(endpoint.getHost()).toLowerCase(Locale.ROOT);
        return host.endsWith(".amazonaws.com") || host.endsWith(".amazonaws.com.cn") || host.endsWith(".api.aws");
    }
}
