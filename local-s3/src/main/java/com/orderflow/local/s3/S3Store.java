package com.orderflow.local.s3;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The local S3's buckets and object versions. Every change is one record appended to an {@link ObjectLog} and then
 * applied to the index in memory, under one lock, so the log replays to the same index at open: a kill -9 at any
 * moment leaves a store that opens as it was at its last acknowledged write. A write costs one append, whatever the
 * bucket holds; bodies stay in the log and are read from it by position. In memory, bodies are kept in the index.
 */
public final class S3Store implements AutoCloseable {

    private static final byte BUCKET_CREATED = 1;
    private static final byte BUCKET_DELETED = 2;
    private static final byte VERSIONING = 3;
    private static final byte PUT = 4;
    private static final byte MARKER = 5;
    private static final byte VERSION_DELETED = 6;
    private static final long SEGMENT_BYTES = 256L << 20;

    private final ConcurrentSkipListMap<String, Bucket> buckets = new ConcurrentSkipListMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final ObjectLog log;
    /** Version ids are this counter in hex: unique, and in the order the versions were written. */
    private final AtomicLong nextVersion = new AtomicLong(System.currentTimeMillis() * 1000);

    private S3Store(ObjectLog log) {
        this.log = log;
    }

    /** A store that lives as long as the process. */
    public static S3Store inMemory() {
        return new S3Store(null);
    }

    /**
     * Opens (creating if needed) the store under {@code directory}.
     *
     * @param syncInterval zero: a write is acknowledged once fsynced; otherwise once the OS has it, fsynced within it
     */
    public static S3Store open(Path directory, Duration syncInterval) throws IOException {
        var replay = new Replay();
        var log = ObjectLog.open(directory, SEGMENT_BYTES, syncInterval, replay);
        var store = new S3Store(log);
        replay.into(store);
        return store;
    }

    Bucket bucket(String name) {
        return buckets.get(name);
    }

    Bucket existingBucket(String name) {
        var bucket = buckets.get(name);
        if (bucket == null) {
            throw S3Error.noSuchBucket(name);
        }
        return bucket;
    }

    Collection<Bucket> buckets() {
        return buckets.values();
    }

    /** Creates a bucket; false when it exists already. */
    boolean createBucket(String name) {
        return change(() -> {
            if (buckets.containsKey(name)) {
                return false;
            }
            long now = System.currentTimeMillis();
            append(BUCKET_CREATED, out -> {
                writeString(out, name);
                out.writeLong(now);
            });
            buckets.put(name, new Bucket(name, now));
            return true;
        });
    }

    void deleteBucket(Bucket bucket) {
        change(() -> {
            if (!bucket.isEmpty()) {
                throw new S3Error(409, "BucketNotEmpty", "The bucket you tried to delete is not empty")
                        .with("BucketName", bucket.name);
            }
            append(BUCKET_DELETED, out -> writeString(out, bucket.name));
            buckets.remove(bucket.name);
            return null;
        });
    }

    void setVersioning(Bucket bucket, Versioning versioning) {
        change(() -> {
            // a bucket once versioned can be suspended, never unversioned again
            Versioning next = versioning == Versioning.UNVERSIONED ? bucket.versioning : versioning;
            append(VERSIONING, out -> {
                writeString(out, bucket.name);
                out.writeByte(next.ordinal());
            });
            bucket.versioning = next;
            return null;
        });
    }

    /**
     * Stores a new version of {@code key} (the "null" version while versioning is off or suspended).
     *
     * @param precondition sees the key's newest version (or null) under the store's lock and throws to refuse
     */
    StoredVersion put(Bucket bucket, String key, byte[] body, String etag, String contentType,
                      Map<String, String> metadata, Consumer<StoredVersion> precondition) {
        return change(() -> {
            precondition.accept(bucket.latest(key));
            String id = bucket.versioning == Versioning.ENABLED ? newVersionId() : StoredVersion.NULL_ID;
            long now = System.currentTimeMillis();
            long location = -1;
            if (log != null) {
                var out = new ByteArrayOutputStream(body.length + 256);
                try (var data = new DataOutputStream(out)) {
                    writeString(data, bucket.name);
                    writeString(data, key);
                    writeString(data, id);
                    data.writeLong(now);
                    writeString(data, etag);
                    writeString(data, contentType);
                    data.writeInt(metadata.size());
                    for (var entry : metadata.entrySet()) {
                        writeString(data, entry.getKey());
                        writeString(data, entry.getValue());
                    }
                    data.writeInt(body.length);
                    int bodyOffset = data.size();
                    data.write(body);
                    data.flush();
                    location = log.append(PUT, ByteBuffer.wrap(out.toByteArray())) + bodyOffset;
                } catch (IOException e) {
                    throw storeFailure(e);
                }
            }
            var version = new StoredVersion(bucket.canonicalKey(key), id, now, etag, body.length, shared(contentType),
                    shared(metadata), false,
                    location, log == null ? body.clone() : null);
            bucket.add(version);
            return version;
        });
    }

    /**
     * Deletes {@code key} as S3 does without a version id: a delete marker while versioning is on (or suspended), the
     * object itself otherwise. Returns the marker, or null when nothing was left behind.
     */
    StoredVersion delete(Bucket bucket, String key) {
        return change(() -> {
            if (bucket.versioning == Versioning.UNVERSIONED) {
                if (bucket.version(key, StoredVersion.NULL_ID) != null) {
                    removeVersion(bucket, key, StoredVersion.NULL_ID);
                }
                return null;
            }
            String id = bucket.versioning == Versioning.ENABLED ? newVersionId() : StoredVersion.NULL_ID;
            var marker = StoredVersion.marker(key, id, System.currentTimeMillis());
            append(MARKER, out -> {
                writeString(out, bucket.name);
                writeString(out, key);
                writeString(out, id);
                out.writeLong(marker.lastModified());
            });
            bucket.add(marker);
            return marker;
        });
    }

    /** Deletes one version (or delete marker) for good; returns it, or null when there was no such version. */
    StoredVersion deleteVersion(Bucket bucket, String key, String versionId) {
        return change(() -> bucket.version(key, versionId) == null ? null : removeVersion(bucket, key, versionId));
    }

    private StoredVersion removeVersion(Bucket bucket, String key, String versionId) throws IOException {
        append(VERSION_DELETED, out -> {
            writeString(out, bucket.name);
            writeString(out, key);
            writeString(out, versionId);
        });
        return bucket.remove(key, versionId);
    }

    /** The body of a version. */
    byte[] body(StoredVersion version) {
        return version.inlineBody() != null ? version.inlineBody().clone()
                : log.read(version.bodyLocation(), 0, Math.toIntExact(version.size()));
    }

    /** Part of the body of a version: {@code length} bytes from {@code from}. */
    byte[] body(StoredVersion version, long from, int length) {
        if (version.inlineBody() != null) {
            var part = new byte[length];
            System.arraycopy(version.inlineBody(), Math.toIntExact(from), part, 0, length);
            return part;
        }
        return log.read(version.bodyLocation(), Math.toIntExact(from), length);
    }

    /** Versions and delete markers stored, over all buckets. */
    public long versionCount() {
        long count = 0;
        for (var bucket : buckets.values()) {
            count += bucket.versionCount();
        }
        return count;
    }

    /** Bytes the store's log holds on disk (0 in memory). */
    public long diskBytes() {
        return log == null ? 0 : log.size();
    }

    private String newVersionId() {
        return String.format("%016x", nextVersion.getAndIncrement());
    }

    @Override
    public void close() throws IOException {
        if (log != null) {
            log.close();
        }
    }

    @FunctionalInterface
    private interface Change<T> {
        T run() throws IOException;
    }

    @FunctionalInterface
    private interface Encoder {
        void write(DataOutputStream out) throws IOException;
    }

    private <T> T change(Change<T> change) {
        lock.lock();
        try {
            return change.run();
        } catch (IOException e) {
            throw storeFailure(e);
        } finally {
            lock.unlock();
        }
    }

    private void append(byte kind, Encoder encoder) throws IOException {
        if (log == null) {
            return;
        }
        var out = new ByteArrayOutputStream(128);
        try (var data = new DataOutputStream(out)) {
            encoder.write(data);
        }
        log.append(kind, ByteBuffer.wrap(out.toByteArray()));
    }

    /**
     * The index holds a version per write, so its repeated strings (content types, metadata names and values such as
     * an order's status) are held once: a bounded table of the ones seen, past which strings are kept as they come.
     */
    private static final int SHARED_LIMIT = 4096;
    private static final ConcurrentHashMap<String, String> SHARED = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Map<String, String>, Map<String, String>> SHARED_MAPS =
            new ConcurrentHashMap<>();

    private static String shared(String value) {
        if (value.length() > 64) {
            return value;
        }
        String known = SHARED.get(value);
        if (known != null) {
            return known;
        }
        if (SHARED.size() >= SHARED_LIMIT) {
            return value;
        }
        known = SHARED.putIfAbsent(value, value);
        return known == null ? value : known;
    }

    private static Map<String, String> shared(Map<String, String> metadata) {
        if (metadata.isEmpty()) {
            return Map.of();
        }
        var copy = new LinkedHashMap<String, String>();
        metadata.forEach((name, value) -> copy.put(shared(name), shared(value)));
        Map<String, String> map = Map.copyOf(copy);
        // most versions carry one of a few small maps (an order's status, say): hold each once
        if (map.size() > 2 || SHARED_MAPS.size() >= SHARED_LIMIT) {
            return map;
        }
        Map<String, String> known = SHARED_MAPS.putIfAbsent(map, map);
        return known == null ? map : known;
    }

    private static S3Error storeFailure(IOException e) {
        return new S3Error(500, "InternalError", "The local S3 could not write its store: " + e.getMessage());
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(ByteBuffer in) {
        var bytes = new byte[in.getInt()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Rebuilds the index from the log's records at open. */
    private static final class Replay implements ObjectLog.Visitor {
        private final Map<String, Bucket> buckets = new LinkedHashMap<>();
        private long lastVersion;

        @Override
        public void record(long location, byte kind, ByteBuffer in) throws IOException {
            switch (kind) {
                case BUCKET_CREATED -> {
                    String name = readString(in);
                    buckets.put(name, new Bucket(name, in.getLong()));
                }
                case BUCKET_DELETED -> buckets.remove(readString(in));
                case VERSIONING -> bucket(readString(in)).versioning = Versioning.values()[in.get()];
                case PUT -> {
                    var bucket = bucket(readString(in));
                    String key = readString(in);
                    String id = seen(readString(in));
                    long modified = in.getLong();
                    String etag = readString(in);
                    String contentType = readString(in);
                    int count = in.getInt();
                    var metadata = new LinkedHashMap<String, String>();
                    for (int i = 0; i < count; i++) {
                        metadata.put(readString(in), readString(in));
                    }
                    int size = in.getInt();
                    bucket.add(new StoredVersion(bucket.canonicalKey(key), id, modified, etag, size, shared(contentType),
                            shared(metadata),
                            false, location + in.position(), null));
                }
                case MARKER -> {
                    var bucket = bucket(readString(in));
                    String key = readString(in);
                    bucket.add(StoredVersion.marker(key, seen(readString(in)), in.getLong()));
                }
                case VERSION_DELETED -> bucket(readString(in)).remove(readString(in), readString(in));
                default -> throw new IOException("unknown record kind " + kind + " in the S3 store");
            }
        }

        private Bucket bucket(String name) throws IOException {
            var bucket = buckets.get(name);
            if (bucket == null) {
                throw new IOException("the S3 store names bucket " + name + " before creating it");
            }
            return bucket;
        }

        private String seen(String versionId) {
            if (versionId.length() == 16) {
                try {
                    lastVersion = Math.max(lastVersion, Long.parseUnsignedLong(versionId, 16));
                } catch (NumberFormatException e) {
                    // an id of another form cannot clash with ours
                }
            }
            return versionId;
        }

        void into(S3Store store) {
            store.buckets.putAll(buckets);
            store.nextVersion.accumulateAndGet(lastVersion + 1, Math::max);
        }
    }
}
