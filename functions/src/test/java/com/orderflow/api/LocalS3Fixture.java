package com.orderflow.api;

import com.orderflow.local.s3.LocalS3Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/** The project's local S3, in memory on a free loopback port, with one versioned bucket and an SDK client for it. */
final class LocalS3Fixture implements AutoCloseable {

    private final LocalS3Server server;
    private final URI endpoint;
    private final S3Client client;

    private LocalS3Fixture(String bucket) {
        try {
            server = LocalS3Server.inMemory();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        endpoint = URI.create("http://127.0.0.1:" + server.port());
        client = LocalS3Server.clientFor(endpoint);
        client.createBucket(b -> b.bucket(bucket));
        client.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
    }

    static LocalS3Fixture start(String bucket) {
        return new LocalS3Fixture(bucket);
    }

    URI endpoint() {
        return endpoint;
    }

    S3Client client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
