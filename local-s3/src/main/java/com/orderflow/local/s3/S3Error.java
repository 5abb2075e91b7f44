package com.orderflow.local.s3;

import java.util.LinkedHashMap;
import java.util.Map;

/** An S3 error answer: the HTTP status, S3's error code and message, and the fields S3 adds (Key, BucketName, ...). */
final class S3Error extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final transient Map<String, String> fields = new LinkedHashMap<>();

    S3Error(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    S3Error with(String field, String value) {
        fields.put(field, value);
        return this;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    Map<String, String> fields() {
        return fields;
    }

    static S3Error noSuchBucket(String bucket) {
        return new S3Error(404, "NoSuchBucket", "The specified bucket does not exist").with("BucketName", bucket);
    }

    static S3Error noSuchKey(String key) {
        return new S3Error(404, "NoSuchKey", "The specified key does not exist.").with("Key", key);
    }

    static S3Error noSuchVersion(String key, String versionId) {
        return new S3Error(404, "NoSuchVersion", "The specified version does not exist.").with("Key", key)
                .with("VersionId", versionId);
    }

    static S3Error invalidArgument(String message, String name, String value) {
        return new S3Error(400, "InvalidArgument", message).with("ArgumentName", name).with("ArgumentValue", value);
    }

    static S3Error malformedXml() {
        return new S3Error(400, "MalformedXML",
                "The XML you provided was not well-formed or did not validate against our published schema.");
    }

    static S3Error notImplemented(String what) {
        return new S3Error(501, "NotImplemented", what + " is not implemented by the local S3 (see the README).");
    }
}
