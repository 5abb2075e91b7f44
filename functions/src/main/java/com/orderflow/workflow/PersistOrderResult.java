package com.orderflow.workflow;

import com.orderflow.order.OrderStatus;

/** What PersistOrder returns: which S3 object version now holds the order at this status. */
public record PersistOrderResult(String orderId, OrderStatus status, String key, String versionId) {
}
