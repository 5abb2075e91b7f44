package com.orderflow.local.s3;

import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Makes sure the orders bucket exists with versioning enabled; safe to run on every start. */
public final class OrdersBucket {

    private OrdersBucket() {
    }

    /**
     * Creates the bucket unless it exists and enables versioning.
     *
     * @return true when the bucket was created now, false when it was already there
     */
    public static boolean ensure(S3Client s3, String bucket) {
        boolean created = false;
        if (!exists(s3, bucket)) {
            s3.createBucket(b -> b.bucket(bucket));
            created = true;
        }
        if (s3.getBucketVersioning(b -> b.bucket(bucket)).status() != BucketVersioningStatus.ENABLED) {
            s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        }
        return created;
    }

    private static boolean exists(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }
}
