package com.orderflow.workflow;

import com.orderflow.order.OrderStatus;
import java.time.Instant;

/**
 * What PersistOrder returns: which S3 object version now holds the order at this status, its ETag, and when the
 * order's first version was stored (what its index entries are filed under). A later PersistOrder given this as its
 * {@code previous} writes on condition of that ETag. {@code eTag} and {@code createdAt} are null in results stored
 * before they were returned.
 */
public record PersistOrderResult(String orderId, OrderStatus status, String key, String versionId, String eTag,
                                 Instant createdAt) {
}
