package com.orderflow.local.s3;

import com.orderflow.local.http.Headers;
import com.orderflow.local.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/** The bucket operations: create, head, delete, versioning, location, the three listings and DeleteObjects. */
final class BucketOperations {

    /** S3's rules for a new general purpose bucket's name (3-63 lower-case letters, digits, dots, hyphens). */
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final int MAX_KEYS = 1000;
    private static final String OWNER_ID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";

    private final S3Store store;

    BucketOperations(S3Store store) {
        this.store = store;
    }

    Response listBuckets() {
        var xml = S3Xml.document("ListAllMyBucketsResult")
                .start("Owner").element("ID", OWNER_ID).element("DisplayName", "local").end()
                .start("Buckets");
        for (var bucket : store.buckets()) {
            xml.start("Bucket").element("Name", bucket.name).element("CreationDate", S3Xml.time(bucket.created)).end();
        }
        return ok(xml.end());
    }

    Response get(S3Request request) {
        var bucket = store.existingBucket(request.bucket());
        if (request.has("versioning")) {
            return ok(S3Xml.document("VersioningConfiguration").element("Status", bucket.versioning.status()));
        }
        if (request.has("location")) {
            // us-east-1 is an empty LocationConstraint
            return ok(S3Xml.document("LocationConstraint"));
        }
        if (request.has("versions")) {
            return listVersions(request, bucket);
        }
        return "2".equals(request.param("list-type")) ? listObjectsV2(request, bucket) : listObjects(request, bucket);
    }

    Response head(S3Request request) {
        store.existingBucket(request.bucket());
        return Response.empty(200, Headers.of("x-amz-bucket-region", "us-east-1"));
    }

    Response put(S3Request request) {
        if (request.has("versioning")) {
            var bucket = store.existingBucket(request.bucket());
            String status = S3Xml.text(S3Xml.parse(request.http().body()), "Status");
            var versioning = switch (status == null ? "" : status) {
                case "Enabled" -> Versioning.ENABLED;
                case "Suspended" -> Versioning.SUSPENDED;
                default -> throw S3Error.malformedXml();
            };
            store.setVersioning(bucket, versioning);
            return Response.empty(200, Headers.none());
        }
        String name = request.bucket();
        if (!BUCKET_NAME.matcher(name).matches() || name.contains("..")) {
            throw new S3Error(400, "InvalidBucketName", "The specified bucket is not valid.").with("BucketName", name);
        }
        if (request.http().body().length > 0) {
            // a CreateBucketConfiguration (location) is well-formed or refused; this S3 has one region
            S3Xml.parse(request.http().body());
        }
        if (!store.createBucket(name)) {
            throw new S3Error(409, "BucketAlreadyOwnedByYou",
                    "Your previous request to create the named bucket succeeded and you already own it.")
                    .with("BucketName", name);
        }
        return Response.empty(200, Headers.of("Location", "/" + name));
    }

    Response delete(S3Request request) {
        store.deleteBucket(store.existingBucket(request.bucket()));
        return Response.empty(204, Headers.none());
    }

    Response post(S3Request request) {
        if (!request.has("delete")) {
            throw S3Handler.methodNotAllowed("POST");
        }
        var bucket = store.existingBucket(request.bucket());
        var root = S3Xml.parse(request.http().body());
        boolean quiet = "true".equalsIgnoreCase(S3Xml.text(root, "Quiet"));
        var objects = S3Xml.children(root, "Object");
        if (objects.isEmpty() || objects.size() > 1000) {
            throw S3Error.malformedXml();
        }
        var xml = S3Xml.document("DeleteResult");
        for (var object : objects) {
            String key = S3Xml.text(object, "Key");
            String versionId = S3Xml.text(object, "VersionId");
            if (key == null || key.isEmpty()) {
                throw S3Error.malformedXml();
            }
            StoredVersion affected = versionId == null ? store.delete(bucket, key) : store.deleteVersion(bucket, key, versionId);
            if (!quiet) {
                xml.start("Deleted").element("Key", key).element("VersionId", versionId);
                if (affected != null && affected.deleteMarker()) {
                    xml.element("DeleteMarker", "true");
                    xml.element("DeleteMarkerVersionId", affected.versionId());
                }
                xml.end();
            }
        }
        return ok(xml);
    }

    private Response listObjects(S3Request request, Bucket bucket) {
        String prefix = orEmpty(request.param("prefix"));
        int maxKeys = maxKeys(request);
        String marker = emptyToNull(request.param("marker"));
        var page = Listing.objects(bucket, prefix, marker, request.param("delimiter"), maxKeys);
        var xml = S3Xml.document("ListBucketResult").element("Name", bucket.name).element("Prefix", prefix)
                .element("Marker", orEmpty(marker)).element("MaxKeys", maxKeys)
                .element("Delimiter", request.param("delimiter")).element("IsTruncated", page.truncated());
        if (page.truncated() && request.param("delimiter") != null) {
            xml.element("NextMarker", page.nextKey());
        }
        return ok(contents(xml, page));
    }

    private Response listObjectsV2(S3Request request, Bucket bucket) {
        String prefix = orEmpty(request.param("prefix"));
        int maxKeys = maxKeys(request);
        String token = request.param("continuation-token");
        String after = token != null ? decodeToken(token) : emptyToNull(request.param("start-after"));
        var page = Listing.objects(bucket, prefix, after, request.param("delimiter"), maxKeys);
        var xml = S3Xml.document("ListBucketResult").element("Name", bucket.name).element("Prefix", prefix)
                .element("MaxKeys", maxKeys).element("Delimiter", request.param("delimiter"))
                .element("IsTruncated", page.truncated())
                .element("KeyCount", page.entries().size() + page.commonPrefixes().size())
                .element("ContinuationToken", token).element("StartAfter", request.param("start-after"));
        if (page.truncated()) {
            xml.element("NextContinuationToken", Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(page.nextKey().getBytes(StandardCharsets.UTF_8)));
        }
        return ok(contents(xml, page));
    }

    private static S3Xml contents(S3Xml xml, Listing page) {
        for (var version : page.entries()) {
            xml.start("Contents").element("Key", version.key()).element("LastModified", S3Xml.time(version.lastModified()))
                    .element("ETag", "\"" + version.etag() + "\"").element("Size", version.size())
                    .element("StorageClass", "STANDARD").end();
        }
        for (var common : page.commonPrefixes()) {
            xml.start("CommonPrefixes").element("Prefix", common).end();
        }
        return xml;
    }

    private Response listVersions(S3Request request, Bucket bucket) {
        String prefix = orEmpty(request.param("prefix"));
        int maxKeys = maxKeys(request);
        String keyMarker = emptyToNull(request.param("key-marker"));
        String versionIdMarker = keyMarker == null ? null : emptyToNull(request.param("version-id-marker"));
        var page = Listing.versions(bucket, prefix, keyMarker, versionIdMarker, request.param("delimiter"), maxKeys);
        var xml = S3Xml.document("ListVersionsResult").element("Name", bucket.name).element("Prefix", prefix)
                .element("KeyMarker", orEmpty(keyMarker)).element("VersionIdMarker", orEmpty(versionIdMarker))
                .element("MaxKeys", maxKeys).element("Delimiter", request.param("delimiter"))
                .element("IsTruncated", page.truncated());
        if (page.truncated()) {
            xml.element("NextKeyMarker", page.nextKey()).element("NextVersionIdMarker", page.nextVersionId());
        }
        String previousKey = null;
        for (var version : page.entries()) {
            // a key's first entry on a page is its newest unless the page resumed inside that key's versions
            var newest = bucket.latest(version.key());
            boolean latest = !version.key().equals(previousKey) && newest != null
                    && newest.versionId().equals(version.versionId());
            previousKey = version.key();
            xml.start(version.deleteMarker() ? "DeleteMarker" : "Version").element("Key", version.key())
                    .element("VersionId", version.versionId()).element("IsLatest", latest)
                    .element("LastModified", S3Xml.time(version.lastModified()));
            if (!version.deleteMarker()) {
                xml.element("ETag", "\"" + version.etag() + "\"").element("Size", version.size())
                        .element("StorageClass", "STANDARD");
            }
            xml.start("Owner").element("ID", OWNER_ID).element("DisplayName", "local").end().end();
        }
        for (var common : page.commonPrefixes()) {
            xml.start("CommonPrefixes").element("Prefix", common).end();
        }
        return ok(xml);
    }

    private static int maxKeys(S3Request request) {
        String value = request.param("max-keys");
        if (value == null) {
            return MAX_KEYS;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return Math.min(parsed, MAX_KEYS);
        } catch (NumberFormatException e) {
            throw S3Error.invalidArgument("Provided max-keys not an integer or within integer range", "max-keys", value);
        }
    }

    private static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw S3Error.invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static Response ok(S3Xml xml) {
        return new Response(200, Headers.of("Content-Type", "application/xml"), xml.bytes());
    }
}
