package com.orderflow.local.s3;

import java.util.ArrayList;
import java.util.List;

/**
 * One page of a bucket listing, as ListObjects(V2) and ListObjectVersions return it: entries and common prefixes
 * in key order, at most {@code maxKeys} of both together.
 *
 * @param nextKey       when truncated, the last key (or common prefix) on the page: the next page starts after it
 * @param nextVersionId when truncated in a version listing, the last version id on the page
 */
record Listing(List<StoredVersion> entries, List<String> commonPrefixes, boolean truncated, String nextKey,
               String nextVersionId) {

    /** The newest version of each key that is not deleted, after {@code after} (exclusive, null for the start). */
    static Listing objects(Bucket bucket, String prefix, String after, String delimiter, int maxKeys) {
        var page = new Builder(prefix, delimiter, maxKeys, after);
        String start = after;
        if (!prefix.isEmpty() && (start == null || start.compareTo(prefix) < 0)) {
            start = prefix;
            after = null;
        }
        for (var entry : bucket.from(start, after == null).entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith(prefix)) {
                break;
            }
            var latest = entry.getValue().getFirst();
            if (latest.deleteMarker()) {
                continue;
            }
            if (!page.add(key, latest)) {
                break;
            }
        }
        return page.build();
    }

    /**
     * Every version and delete marker, keys in order and each key's newest first, after the marker pair: after
     * {@code keyMarker} when {@code versionIdMarker} is null, otherwise after that version of {@code keyMarker}.
     */
    static Listing versions(Bucket bucket, String prefix, String keyMarker, String versionIdMarker, String delimiter,
                            int maxKeys) {
        var page = new Builder(prefix, delimiter, maxKeys, keyMarker);
        String start = keyMarker;
        boolean inclusive = versionIdMarker != null;
        if (!prefix.isEmpty() && (start == null || start.compareTo(prefix) < 0)) {
            start = prefix;
            inclusive = true;
            versionIdMarker = null;
        }
        outer:
        for (var entry : bucket.from(start, start == null || inclusive).entrySet()) {
            String key = entry.getKey();
            if (!key.startsWith(prefix)) {
                break;
            }
            boolean skipping = versionIdMarker != null && key.equals(keyMarker);
            for (var version : entry.getValue()) {
                if (skipping) {
                    skipping = !version.versionId().equals(versionIdMarker);
                    continue;
                }
                if (!page.add(key, version)) {
                    break outer;
                }
                if (page.rolledUp(key)) {
                    break;
                }
            }
        }
        return page.build();
    }

    private static final class Builder {
        private final String prefix;
        private final String delimiter;
        private final int maxKeys;
        /** Where the page resumes: a common prefix there was on the page before and is not repeated. */
        private final String resumedAfter;
        private final List<StoredVersion> entries = new ArrayList<>();
        private final List<String> prefixes = new ArrayList<>();
        private boolean truncated;
        private String lastKey;
        private String lastVersionId;

        Builder(String prefix, String delimiter, int maxKeys, String resumedAfter) {
            this.prefix = prefix;
            this.resumedAfter = resumedAfter;
            this.delimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter;
            this.maxKeys = maxKeys;
        }

        /** Adds an entry (or its common prefix); false when the page is full, which makes it truncated. */
        boolean add(String key, StoredVersion version) {
            String common = commonPrefix(key);
            if (common != null && (common.equals(resumedAfter)
                    || !prefixes.isEmpty() && prefixes.getLast().equals(common))) {
                return true;
            }
            if (entries.size() + prefixes.size() >= maxKeys) {
                truncated = true;
                return false;
            }
            if (common != null) {
                prefixes.add(common);
                lastKey = common;
                lastVersionId = null;
            } else {
                entries.add(version);
                lastKey = key;
                lastVersionId = version.versionId();
            }
            return true;
        }

        /** Whether {@code key} was rolled up into a common prefix (its other versions need no look). */
        boolean rolledUp(String key) {
            return commonPrefix(key) != null;
        }

        private String commonPrefix(String key) {
            if (delimiter == null) {
                return null;
            }
            int at = key.indexOf(delimiter, prefix.length());
            return at < 0 ? null : key.substring(0, at + delimiter.length());
        }

        Listing build() {
            return new Listing(List.copyOf(entries), List.copyOf(prefixes), truncated, truncated ? lastKey : null,
                    truncated ? lastVersionId : null);
        }
    }
}
