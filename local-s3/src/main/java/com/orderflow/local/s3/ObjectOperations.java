package com.orderflow.local.s3;

import com.orderflow.local.http.Headers;
import com.orderflow.local.http.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** The object operations: PutObject (with S3's conditional writes), CopyObject, GetObject and HeadObject (by version, by range), DeleteObject. */
final class ObjectOperations {

    private static final String META = "x-amz-meta-";
    /** S3's limit on user metadata: 2 KB of names and values together. */
    private static final int MAX_METADATA_BYTES = 2048;
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final S3Store store;
    private final ObjectCopy copies;

    ObjectOperations(S3Store store) {
        this.store = store;
        this.copies = new ObjectCopy(store);
    }

    Response put(S3Request request) {
        if (request.header(ObjectCopy.SOURCE_HEADER) != null) {
            return copies.copy(request);
        }
        var bucket = store.existingBucket(request.bucket());
        String key = request.key();
        if (key.getBytes(StandardCharsets.UTF_8).length > 1024) {
            throw new S3Error(400, "KeyTooLongError", "Your key is too long").with("Key", key.substring(0, 64));
        }
        byte[] body = request.http().body();
        if (AwsChunked.applies(request.http().headers())) {
            body = AwsChunked.decode(body);
            String declared = request.header("x-amz-decoded-content-length");
            if (declared != null && !declared.equals(String.valueOf(body.length))) {
                throw new S3Error(400, "IncompleteBody", "You did not provide the number of bytes specified by the "
                        + "x-amz-decoded-content-length HTTP header.");
            }
        }
        byte[] md5 = md5(body);
        String contentMd5 = request.header("Content-MD5");
        if (contentMd5 != null && !MessageDigest.isEqual(md5, decodeBase64(contentMd5))) {
            throw new S3Error(400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
        }
        String etag = HexFormat.of().formatHex(md5);
        String ifNoneMatch = request.header("If-None-Match");
        String ifMatch = request.header("If-Match");
        var version = store.put(bucket, key, body, etag,
                request.http().headers().first("Content-Type").orElse("binary/octet-stream"), metadata(request),
                latest -> {
                    boolean exists = latest != null && !latest.deleteMarker();
                    if ("*".equals(ifNoneMatch) && exists) {
                        throw preconditionFailed("If-None-Match");
                    }
                    if (ifMatch != null) {
                        if (!exists) {
                            throw S3Error.noSuchKey(key);
                        }
                        if (!unquote(ifMatch).equals(latest.etag()) && !"*".equals(ifMatch)) {
                            throw preconditionFailed("If-Match");
                        }
                    }
                });
        var headers = Headers.of("ETag", quoted(etag));
        if (bucket.versioning != Versioning.UNVERSIONED) {
            headers = headers.with("x-amz-version-id", version.versionId());
        }
        return Response.empty(200, headers);
    }

    Response get(S3Request request, boolean withBody) {
        var bucket = store.existingBucket(request.bucket());
        String key = request.key();
        String versionId = request.param("versionId");
        StoredVersion version;
        if (versionId != null) {
            version = bucket.version(key, versionId);
            if (version == null) {
                throw S3Error.noSuchVersion(key, versionId);
            }
            if (version.deleteMarker()) {
                throw S3Handler.methodNotAllowed(request.method()).with("x-amz-delete-marker", "true")
                        .with("x-amz-version-id", version.versionId());
            }
        } else {
            version = bucket.latest(key);
            if (version == null) {
                throw S3Error.noSuchKey(key);
            }
            if (version.deleteMarker()) {
                throw S3Error.noSuchKey(key).with("x-amz-delete-marker", "true").with("x-amz-version-id", version.versionId());
            }
        }
        var headers = Headers.of("Content-Type", version.contentType(), "ETag", quoted(version.etag()),
                "Last-Modified", HTTP_DATE.format(Instant.ofEpochMilli(version.lastModified())),
                "Accept-Ranges", "bytes");
        if (bucket.versioning != Versioning.UNVERSIONED || !version.versionId().equals(StoredVersion.NULL_ID)) {
            headers = headers.with("x-amz-version-id", version.versionId());
        }
        for (var entry : version.metadata().entrySet()) {
            headers = headers.with(META + entry.getKey(), entry.getValue());
        }
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null && (ifNoneMatch.equals("*") || unquote(ifNoneMatch).equals(version.etag()))) {
            return Response.empty(304, headers);
        }
        String ifMatch = request.header("If-Match");
        if (ifMatch != null && !ifMatch.equals("*") && !unquote(ifMatch).equals(version.etag())) {
            throw preconditionFailed("If-Match");
        }
        long size = version.size();
        String range = request.header("Range");
        if (range != null) {
            long[] bounds = range(range, size);
            if (bounds != null) {
                int length = Math.toIntExact(bounds[1] - bounds[0] + 1);
                headers = headers.with("Content-Range", "bytes " + bounds[0] + "-" + bounds[1] + "/" + size);
                return withBody ? new Response(206, headers, store.body(version, bounds[0], length))
                        : Response.empty(206, headers.with("Content-Length", String.valueOf(length)));
            }
        }
        return withBody ? new Response(200, headers, store.body(version))
                : Response.empty(200, headers.with("Content-Length", String.valueOf(size)));
    }

    Response delete(S3Request request) {
        var bucket = store.existingBucket(request.bucket());
        String versionId = request.param("versionId");
        var headers = Headers.none();
        if (versionId != null) {
            var removed = store.deleteVersion(bucket, request.key(), versionId);
            headers = headers.with("x-amz-version-id", versionId);
            if (removed != null && removed.deleteMarker()) {
                headers = headers.with("x-amz-delete-marker", "true");
            }
        } else {
            var marker = store.delete(bucket, request.key());
            if (marker != null) {
                headers = headers.with("x-amz-delete-marker", "true").with("x-amz-version-id", marker.versionId());
            }
        }
        return Response.empty(204, headers);
    }

    static Map<String, String> metadata(S3Request request) {
        var metadata = new LinkedHashMap<String, String>();
        int bytes = 0;
        var headers = request.http().headers();
        for (int i = 0; i < headers.size(); i++) {
            String name = headers.name(i).toLowerCase(Locale.ROOT);
            if (name.startsWith(META)) {
                String value = headers.value(i);
                metadata.merge(name.substring(META.length()), value, (a, b) -> a + "," + b);
                bytes += name.length() - META.length() + value.length();
            }
        }
        if (bytes > MAX_METADATA_BYTES) {
            throw new S3Error(400, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.");
        }
        return metadata;
    }

    /** The first and last byte a single {@code bytes=} range names, or null to serve the whole body. */
    private static long[] range(String header, long size) {
        var matcher = RANGE.matcher(header.trim());
        if (!matcher.matches() || matcher.group(1).isEmpty() && matcher.group(2).isEmpty()) {
            return null; // not a single byte range: S3 ignores it
        }
        long first;
        long last;
        try {
            if (matcher.group(1).isEmpty()) {
                long suffix = Long.parseLong(matcher.group(2));
                first = Math.max(0, size - suffix);
                last = size - 1;
            } else {
                first = Long.parseLong(matcher.group(1));
                last = matcher.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(matcher.group(2)), size - 1);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        if (first >= size || last < first) {
            throw new S3Error(416, "InvalidRange", "The requested range is not satisfiable")
                    .with("RangeRequested", header).with("ActualObjectSize", String.valueOf(size));
        }
        return new long[] {first, last};
    }

    private static byte[] decodeBase64(String value) {
        try {
            return Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new S3Error(400, "InvalidDigest", "The Content-MD5 you specified was invalid.");
        }
    }

    private static S3Error preconditionFailed(String condition) {
        return new S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold")
                .with("Condition", condition);
    }

    private static String quoted(String etag) {
        return "\"" + etag + "\"";
    }

    private static String unquote(String etag) {
        String trimmed = etag.trim();
        return trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")
                ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
    }

    private static byte[] md5(byte[] body) {
        try {
            // S3's ETag of a single-part object is its MD5; not used for any security purpose
            return MessageDigest.getInstance("MD5").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }
}
