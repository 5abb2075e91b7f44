package com.orderflow.cdk.storage;

import java.util.List;

import com.orderflow.cdk.AppConfig;

import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * The versioned orders bucket (one object per order, one version per status) and the bucket that
 * receives its server access logs.
 */
public final class OrderStorage extends Construct {

    /** Key prefix of every order record; the only prefix the workflow may write. */
    public static final String ORDERS_PREFIX = "orders/";
    /**
     * Key prefix of the listing index PersistOrder keeps beside the records ({@code order-index/{STATUS}/...}, empty
     * objects), which lets {@code GET /orders} filter without reading every record.
     */
    public static final String INDEX_PREFIX = "order-index/";

    private final Bucket ordersBucket;
    private final Bucket accessLogsBucket;

    public OrderStorage(Construct scope, String id, AppConfig config) {
        super(scope, id);
        // prod keeps the data when the stack goes; other stages are disposable. No autoDeleteObjects: it would add a
        // Node.js custom-resource Lambda to a Java stack; the deployer empties the buckets before destroying a stage.
        var removal = config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        // no access logs of its own: it is the log target (cdk-nag's S1 accepts a bucket that receives access logs)
        accessLogsBucket = Bucket.Builder.create(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("expire-access-logs")
                        .expiration(Duration.days(config.isProduction() ? 365 : 30))
                        .build()))
                .removalPolicy(removal)
                .build();

        ordersBucket = Bucket.Builder.create(this, "Orders")
                .versioned(true)
                .encryption(BucketEncryption.S3_MANAGED)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .enforceSsl(true)
                .serverAccessLogsBucket(accessLogsBucket)
                .serverAccessLogsPrefix("orders-bucket/")
                .lifecycleRules(List.of(
                        // noncurrent versions are the order's history (/history reads them), so they live long;
                        // no storage-class transition: records are ~1 KB, below the 128 KB minimum S3 transitions
                        LifecycleRule.builder()
                                .id("expire-old-history")
                                .noncurrentVersionExpiration(Duration.days(noncurrentVersionDays(config)))
                                .abortIncompleteMultipartUploadAfter(Duration.days(1))
                                .build(),
                        // an index entry moves when its order's status does: the old one's version and delete marker
                        // are no one's history, and listings skip delete markers one by one, so they go after a day
                        LifecycleRule.builder()
                                .id("expire-moved-index-entries")
                                .prefix(INDEX_PREFIX)
                                .noncurrentVersionExpiration(Duration.days(1))
                                .build(),
                        LifecycleRule.builder()
                                .id("remove-expired-delete-markers")
                                .expiredObjectDeleteMarker(true)
                                .build()))
                .removalPolicy(removal)
                .build();
    }

    /** Days a superseded order version is kept before S3 expires it. */
    public static int noncurrentVersionDays(AppConfig config) {
        return config.isProduction() ? 365 : 30;
    }

    public IBucket ordersBucket() {
        return ordersBucket;
    }

    public IBucket accessLogsBucket() {
        return accessLogsBucket;
    }
}
