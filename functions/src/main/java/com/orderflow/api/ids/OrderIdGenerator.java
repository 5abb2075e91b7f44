package com.orderflow.api.ids;

/** Where new order ids come from: the one seam to replace (or prime before a snapshot) id generation. */
@FunctionalInterface
public interface OrderIdGenerator {

    /** A fresh id matching {@link com.orderflow.order.OrderId#PATTERN}. */
    String newOrderId();
}
