package com.orderflow.local;

import com.orderflow.local.engine.ObjectStore;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The engine's object store on the local S3, through the AWS SDK as a workflow on AWS reaches S3: the one place the
 * Step Functions side reads and writes S3 objects. A failure names the bucket, key and S3's error.
 */
final class LocalS3Objects implements ObjectStore {

    private final S3Client s3;

    LocalS3Objects(S3Client s3) {
        this.s3 = s3;
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
}
