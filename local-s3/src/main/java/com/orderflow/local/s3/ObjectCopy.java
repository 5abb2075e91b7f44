package com.orderflow.local.s3;

import com.orderflow.local.http.Headers;
import com.orderflow.local.http.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * CopyObject (a PUT with {@code x-amz-copy-source}): a new version of the target with the source version's body, and
 * its content type and metadata unless {@code x-amz-metadata-directive: REPLACE} gives new ones, as S3 copies.
 */
final class ObjectCopy {

    static final String SOURCE_HEADER = "x-amz-copy-source";

    private final S3Store store;

    ObjectCopy(S3Store store) {
        this.store = store;
    }

    Response copy(S3Request request) {
        var target = store.existingBucket(request.bucket());
        // "/bucket/key?versionId=v" or "bucket/key", URL-encoded
        String source = URLDecoder.decode(request.header(SOURCE_HEADER).replace("+", "%2B"), StandardCharsets.UTF_8);
        String versionId = null;
        int query = source.lastIndexOf("?versionId=");
        if (query >= 0) {
            versionId = source.substring(query + "?versionId=".length());
            source = source.substring(0, query);
        }
        source = source.startsWith("/") ? source.substring(1) : source;
        int slash = source.indexOf('/');
        if (slash <= 0 || slash == source.length() - 1) {
            throw S3Error.invalidArgument("Copy Source must mention the source bucket and key: sourcebucket/sourcekey",
                    SOURCE_HEADER, request.header(SOURCE_HEADER));
        }
        var from = store.existingBucket(source.substring(0, slash));
        String key = source.substring(slash + 1);
        StoredVersion version = versionId == null ? from.latest(key) : from.version(key, versionId);
        if (version == null || version.deleteMarker()) {
            throw versionId == null ? S3Error.noSuchKey(key) : S3Error.noSuchVersion(key, versionId);
        }
        boolean replace = "REPLACE".equalsIgnoreCase(request.header("x-amz-metadata-directive"));
        if (!replace && from == target && key.equals(request.key()) && versionId == null) {
            throw new S3Error(400, "InvalidRequest", "This copy request is illegal because it is trying to copy an object"
                    + " to itself without changing the object's metadata, storage class, website redirect location or"
                    + " encryption attributes.");
        }
        var copied = store.put(target, request.key(), store.body(version), version.etag(),
                replace ? request.http().headers().first("Content-Type").orElse("binary/octet-stream") : version.contentType(),
                replace ? ObjectOperations.metadata(request) : version.metadata(), latest -> { });
        var headers = Headers.of("Content-Type", "application/xml");
        if (target.versioning != Versioning.UNVERSIONED) {
            headers = headers.with("x-amz-version-id", copied.versionId());
        }
        if (!version.versionId().equals(StoredVersion.NULL_ID)) {
            headers = headers.with("x-amz-copy-source-version-id", version.versionId());
        }
        var xml = S3Xml.document("CopyObjectResult").element("ETag", "\"" + copied.etag() + "\"")
                .element("LastModified", S3Xml.time(copied.lastModified()));
        return new Response(200, headers, xml.bytes());
    }
}
