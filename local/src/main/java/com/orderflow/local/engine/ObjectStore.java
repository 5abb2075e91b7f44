package com.orderflow.local.engine;

import java.util.List;

/**
 * The objects a Distributed Map reads its items from and writes its results to (S3 on AWS), wired in by
 * configuration. A failure is an {@link IllegalStateException} whose message says what went wrong.
 */
public interface ObjectStore {

    /** One object of a listing, as ListObjectsV2 gives it. */
    record Listed(String key, long size, String eTag, String lastModified, String storageClass) {
    }

    byte[] get(String bucket, String key);

    /** Every object under {@code prefix} (null: all), in key order. */
    List<Listed> list(String bucket, String prefix);

    void put(String bucket, String key, byte[] body);

    /** No object store: every call fails, naming what is missing. */
    ObjectStore NONE = new ObjectStore() {
        @Override
        public byte[] get(String bucket, String key) {
            throw missing();
        }

        @Override
        public List<Listed> list(String bucket, String prefix) {
            throw missing();
        }

        @Override
        public void put(String bucket, String key, byte[] body) {
            throw missing();
        }

        private IllegalStateException missing() {
            return new IllegalStateException("no object store (S3) is wired into this engine");
        }
    };
}
