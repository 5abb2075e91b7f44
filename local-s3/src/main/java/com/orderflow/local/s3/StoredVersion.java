package com.orderflow.local.s3;

import java.util.Map;

/**
 * One version of an object, or a delete marker, as the store holds it. The body is either in the log (at
 * {@code bodyLocation}) or, for a store in memory, in {@code inlineBody}.
 *
 * @param versionId    the version's id; {@code "null"} for the version written while versioning was off or suspended
 * @param lastModified epoch milliseconds
 * @param etag         the body's MD5 in hex, without quotes (empty for a delete marker)
 * @param metadata     user metadata ({@code x-amz-meta-*} without the prefix, lower case)
 */
record StoredVersion(String key, String versionId, long lastModified, String etag, long size, String contentType,
                     Map<String, String> metadata, boolean deleteMarker, long bodyLocation, byte[] inlineBody) {

    static final String NULL_ID = "null";

    static StoredVersion marker(String key, String versionId, long lastModified) {
        return new StoredVersion(key, versionId, lastModified, "", 0, "", Map.of(), true, -1, null);
    }
}
