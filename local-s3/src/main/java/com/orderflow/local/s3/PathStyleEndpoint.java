package com.orderflow.local.s3;

import software.amazon.awssdk.awscore.endpoints.AwsEndpointAttribute;
import software.amazon.awssdk.awscore.endpoints.authscheme.SigV4AuthScheme;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Where a request of {@link LocalS3Server#clientFor}'s clients goes: {@code {endpoint}/{bucket}}, with SigV4 for
 * {@code s3} in the client's region as the auth scheme, which is what the SDK's S3 rules resolve for a plain bucket
 * name on an endpoint override, path style. The rules engine walks several hundred rules per call (twice while the
 * client still resolved SigV4 as its auth scheme, once now that it sends unsigned requests): under load that was
 * about 6 % of the local stack's CPU (JFR), spent on every S3 call the handlers make. Anything the shortcut does not cover (an access-point ARN, a bucket name the
 * rules would refuse, a directory bucket, an operation without a bucket) goes to the SDK's own rules, so the answer
 * is never different, only cheaper ({@code PathStyleEndpointTest} compares the two).
 */
final class PathStyleEndpoint implements S3EndpointProvider {

    /** Bucket names that path style puts into the URL as they are (lowercase letters, digits, dots, hyphens). */
    private static final Pattern PLAIN_BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private final String override;
    private final String base;
    private final Region region;
    private final S3EndpointProvider rules = S3EndpointProvider.defaultProvider();
    /** The last bucket's endpoint: the stack's clients talk to one bucket, and an endpoint is immutable. */
    private volatile Resolved last;

    private record Resolved(String bucket, Endpoint endpoint) {
    }

    PathStyleEndpoint(URI endpoint, Region region) {
        this.override = endpoint.toString();
        this.base = override.endsWith("/") ? override.substring(0, override.length() - 1) : override;
        this.region = region;
    }

    @Override
    public CompletableFuture<Endpoint> resolveEndpoint(S3EndpointParams params) {
        var known = last;
        boolean sameBucket = known != null && known.bucket().equals(params.bucket());
        if (!(sameBucket || plainBucket(params.bucket())) || !coversTheRest(params)) {
            return rules.resolveEndpoint(params);
        }
        if (sameBucket) {
            return CompletableFuture.completedFuture(known.endpoint());
        }
        var endpoint = Endpoint.builder()
                .url(URI.create(base + "/" + params.bucket()))
                .putAttribute(AwsEndpointAttribute.AUTH_SCHEMES, List.of(SigV4AuthScheme.builder()
                        .signingName("s3")
                        .signingRegion(region.id())
                        .disableDoubleEncoding(true)
                        .build()))
                .build();
        last = new Resolved(params.bucket(), endpoint);
        return CompletableFuture.completedFuture(endpoint);
    }

    private static boolean plainBucket(String bucket) {
        // ".." the rules refuse; "--" marks directory (S3 Express) and other special buckets
        return bucket != null && PLAIN_BUCKET.matcher(bucket).matches() && !bucket.contains("..") && !bucket.contains("--");
    }

    private boolean coversTheRest(S3EndpointParams params) {
        return override.equals(params.endpoint())
                && region.equals(params.region())
                && Boolean.TRUE.equals(params.forcePathStyle())
                && !Boolean.TRUE.equals(params.useFips())
                && !Boolean.TRUE.equals(params.useDualStack())
                && !Boolean.TRUE.equals(params.accelerate())
                && !Boolean.TRUE.equals(params.useObjectLambdaEndpoint())
                && !Boolean.TRUE.equals(params.useS3ExpressControlEndpoint());
    }
}
