package com.orderflow.local.s3;

import com.orderflow.local.http.Handler;
import com.orderflow.local.http.Headers;
import com.orderflow.local.http.Request;
import com.orderflow.local.http.Response;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The local S3's REST API over a {@link S3Store}: routes each request to a bucket or an object operation and writes
 * S3's XML errors. What the stack, the AWS SDK and the AWS CLI use for a versioned bucket is served; any other
 * subresource (policies, ACLs, multipart uploads, ...) answers S3's {@code 501 NotImplemented}.
 */
final class S3Handler implements Handler {

    /** Bucket subresources served here; any other query word that names a subresource is not implemented. */
    private static final Set<String> BUCKET_UNSUPPORTED = Set.of("acl", "policy", "policyStatus", "encryption",
            "lifecycle", "cors", "tagging", "website", "logging", "notification", "replication", "requestPayment",
            "object-lock", "ownershipControls", "publicAccessBlock", "accelerate", "analytics", "inventory", "metrics",
            "intelligent-tiering", "uploads");
    private static final Set<String> OBJECT_UNSUPPORTED = Set.of("acl", "tagging", "uploads", "uploadId", "retention",
            "legal-hold", "attributes", "restore", "select", "torrent");

    private final AtomicLong requests = new AtomicLong(System.currentTimeMillis() << 16);
    private final BucketOperations buckets;
    private final ObjectOperations objects;

    S3Handler(S3Store store) {
        this.buckets = new BucketOperations(store);
        this.objects = new ObjectOperations(store);
    }

    @Override
    public Response handle(Request http) {
        String requestId = requestId();
        S3Request request = null;
        try {
            request = S3Request.of(http);
            return withIds(route(request), requestId);
        } catch (S3Error e) {
            return withIds(error(e, request == null ? null : request.method(), http.rawPath(), requestId), requestId);
        } catch (IllegalArgumentException e) {
            var error = new S3Error(400, "InvalidURI", "Couldn't parse the specified URI.");
            return withIds(error(error, http.method(), http.rawPath(), requestId), requestId);
        }
    }

    @Override
    public Response refuse(int status, String reason) {
        var error = switch (status) {
            case 413 -> new S3Error(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size. " + reason);
            case 431 -> new S3Error(400, "RequestHeaderSectionTooLarge", reason);
            case 501 -> new S3Error(501, "NotImplemented", reason);
            default -> new S3Error(400, "InvalidRequest", reason);
        };
        String requestId = requestId();
        return withIds(error(error, null, null, requestId), requestId);
    }

    @Override
    public Response busy(long retryAfterSeconds) {
        // S3's own answer when it wants a client to back off; the SDKs retry it as throttling
        var error = new S3Error(503, "SlowDown", "Please reduce your request rate.");
        String requestId = requestId();
        return withIds(error(error, null, null, requestId), requestId)
                .withHeader("Retry-After", Long.toString(retryAfterSeconds));
    }

    private Response route(S3Request request) {
        String method = request.method();
        if (request.bucket() == null) {
            if (method.equals("GET")) {
                return buckets.listBuckets();
            }
            throw methodNotAllowed(method);
        }
        if (request.key() == null) {
            for (String parameter : request.query().keySet()) {
                if (BUCKET_UNSUPPORTED.contains(parameter)) {
                    throw S3Error.notImplemented("The bucket subresource ?" + parameter);
                }
            }
            return switch (method) {
                case "GET" -> buckets.get(request);
                case "HEAD" -> buckets.head(request);
                case "PUT" -> buckets.put(request);
                case "DELETE" -> buckets.delete(request);
                case "POST" -> buckets.post(request);
                default -> throw methodNotAllowed(method);
            };
        }
        for (String parameter : request.query().keySet()) {
            if (OBJECT_UNSUPPORTED.contains(parameter)) {
                throw S3Error.notImplemented("The object subresource ?" + parameter);
            }
        }
        return switch (method) {
            case "GET" -> objects.get(request, true);
            case "HEAD" -> objects.get(request, false);
            case "PUT" -> objects.put(request);
            case "DELETE" -> objects.delete(request);
            default -> throw methodNotAllowed(method);
        };
    }

    static S3Error methodNotAllowed(String method) {
        return new S3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
                .with("Method", method);
    }

    private static Response error(S3Error error, String method, String resource, String requestId) {
        var headers = Headers.of("Content-Type", "application/xml");
        for (var field : error.fields().entrySet()) {
            if (field.getKey().startsWith("x-amz-")) {
                headers = headers.with(field.getKey(), field.getValue());
            }
        }
        if ("HEAD".equals(method)) {
            // a HEAD answer has no body, so S3 says what it can in the status alone
            return Response.empty(error.status(), headers);
        }
        var xml = S3Xml.plain("Error").element("Code", error.code()).element("Message", error.getMessage());
        for (var field : error.fields().entrySet()) {
            if (!field.getKey().startsWith("x-amz-")) {
                xml.element(field.getKey(), field.getValue());
            }
        }
        if (resource != null) {
            xml.element("Resource", resource.length() > 256 ? resource.substring(0, 256) : resource);
        }
        xml.element("RequestId", requestId);
        return new Response(error.status(), headers, xml.bytes());
    }

    private static Response withIds(Response response, String requestId) {
        return response.withHeader("x-amz-request-id", requestId).withHeader("x-amz-id-2", requestId);
    }

    /** Request ids only tell requests apart in logs: a counter from the start time will do. */
    private String requestId() {
        return String.format("%016X", requests.getAndIncrement());
    }
}
