package com.orderflow.local.s3;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One bucket's objects: per key its versions, newest first. Changed only under the store's lock (each key's list is
 * replaced whole), read without one.
 */
final class Bucket {

    final String name;
    final long created;
    volatile Versioning versioning = Versioning.UNVERSIONED;
    private final ConcurrentSkipListMap<String, List<StoredVersion>> keys = new ConcurrentSkipListMap<>();

    Bucket(String name, long created) {
        this.name = name;
        this.created = created;
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The versions of {@code key}, newest first; empty when there are none. */
    List<StoredVersion> versions(String key) {
        return keys.getOrDefault(key, List.of());
    }

    /** {@code key} as the index holds it already, so that every version of a key shares one string. */
    String canonicalKey(String key) {
        var versions = keys.get(key);
        return versions == null ? key : versions.getFirst().key();
    }

    /** The newest version of {@code key} (perhaps a delete marker), or null. */
    StoredVersion latest(String key) {
        var versions = keys.get(key);
        return versions == null ? null : versions.getFirst();
    }

    StoredVersion version(String key, String versionId) {
        for (var version : versions(key)) {
            if (version.versionId().equals(versionId)) {
                return version;
            }
        }
        return null;
    }

    /** Adds {@code version} as the newest of its key; a version with the same id (the "null" one) is replaced. */
    void add(StoredVersion version) {
        var old = versions(version.key());
        var next = new ArrayList<StoredVersion>(old.size() + 1);
        next.add(version);
        for (var existing : old) {
            if (!existing.versionId().equals(version.versionId())) {
                next.add(existing);
            }
        }
        keys.put(version.key(), List.copyOf(next));
    }

    /** Removes one version for good; returns it, or null when there was none. */
    StoredVersion remove(String key, String versionId) {
        var old = versions(key);
        var next = new ArrayList<StoredVersion>(old.size());
        StoredVersion removed = null;
        for (var existing : old) {
            if (removed == null && existing.versionId().equals(versionId)) {
                removed = existing;
            } else {
                next.add(existing);
            }
        }
        if (next.isEmpty()) {
            keys.remove(key);
        } else {
            keys.put(key, List.copyOf(next));
        }
        return removed;
    }

    /** Keys from {@code after} (exclusive unless {@code inclusive}), in order, with their versions. */
    NavigableMap<String, List<StoredVersion>> from(String after, boolean inclusive) {
        return after == null ? keys : keys.tailMap(after, inclusive);
    }

    int keyCount() {
        return keys.size();
    }

    long versionCount() {
        long count = 0;
        for (Map.Entry<String, List<StoredVersion>> entry : keys.entrySet()) {
            count += entry.getValue().size();
        }
        return count;
    }
}
