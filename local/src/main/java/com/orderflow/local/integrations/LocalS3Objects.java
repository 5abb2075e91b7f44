package com.orderflow.local.integrations;

import com.orderflow.local.engine.ObjectStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The object actions the local stack's own workflows run against its S3, through the real SDK client, as a workflow
 * on AWS reaches S3: the one place for what an integration (an {@code aws-sdk:s3} Task, a Distributed Map's reader or
 * writer) reads and writes. Task bodies are text read only up to a bound, so no object can fill the memory; the
 * engine's {@link ObjectStore} calls name the bucket, key and S3's error when they fail.
 */
public final class LocalS3Objects implements ObjectStore {

    /** A GetObject answer with its body as UTF-8 text. */
    public record TextObject(GetObjectResponse response, String body) {
    }

    /** The object is larger than the reader asked for at most. */
    public static final class TooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String bucket, String key, int maxBytes) {
            super("s3://" + bucket + "/" + key + " is larger than " + maxBytes + " bytes");
        }
    }

    private final S3Client s3;

    /** {@code s3} is pointed at the local S3 and owned by the caller (who closes it). */
    public LocalS3Objects(S3Client s3) {
        this.s3 = s3;
    }

    /**
     * The object, its body decoded as UTF-8.
     *
     * @throws TooLargeException when the body has more than {@code maxBytes} bytes (none beyond them is read)
     */
    public TextObject getText(GetObjectRequest request, int maxBytes) {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(request)) {
            byte[] body = readAtMost(in, maxBytes);
            if (body == null) {
                in.abort(); // the rest of the body is not wanted: the connection is dropped rather than drained
                throw new TooLargeException(request.bucket(), request.key(), maxBytes);
            }
            return new TextObject(in.response(), new String(body, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code body} as UTF-8 text. */
    public PutObjectResponse putText(PutObjectRequest request, String body) {
        return s3.putObject(request, RequestBody.fromString(body, StandardCharsets.UTF_8));
    }

    public HeadObjectResponse head(HeadObjectRequest request) {
        return s3.headObject(request);
    }

    public DeleteObjectResponse delete(DeleteObjectRequest request) {
        return s3.deleteObject(request);
    }

    public CopyObjectResponse copy(CopyObjectRequest request) {
        return s3.copyObject(request);
    }

    /** One page of the listing (the request's continuation token picks the page). */
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        return s3.listObjectsV2(request);
    }

    /** One page of the version listing. */
    public ListObjectVersionsResponse listVersions(ListObjectVersionsRequest request) {
        return s3.listObjectVersions(request);
    }

    @Override
    public byte[] get(String bucket, String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (SdkException e) {
            throw failed("read s3://" + bucket + "/" + key, e);
        }
    }

    @Override
    public List<Listed> list(String bucket, String prefix) {
        var listed = new ArrayList<Listed>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                listed.add(new Listed(o.key(), o.size(), o.eTag(), o.lastModified().toString(),
                        o.storageClassAsString() == null ? "STANDARD" : o.storageClassAsString()));
            }
        } catch (SdkException e) {
            throw failed("list s3://" + bucket + "/" + (prefix == null ? "" : prefix), e);
        }
        return listed;
    }

    @Override
    public void put(String bucket, String key, byte[] body) {
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(body));
        } catch (SdkException e) {
            throw failed("write s3://" + bucket + "/" + key, e);
        }
    }

    private static IllegalStateException failed(String what, SdkException e) {
        return new IllegalStateException("Could not " + what + " on the local S3: " + e.getMessage(), e);
    }

    /** The whole stream when it has at most {@code maxBytes} bytes, else null. */
    private static byte[] readAtMost(InputStream in, int maxBytes) throws IOException {
        byte[] read = in.readNBytes(maxBytes + 1);
        return read.length > maxBytes ? null : read;
    }
}
