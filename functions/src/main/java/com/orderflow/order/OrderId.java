package com.orderflow.order;

import java.util.regex.Pattern;

/** The shape of an order id ({@code ord_} + 26 lowercase base32 characters), checked before it names any S3 key. */
public final class OrderId {

    /** Every valid order id matches this, so an id can never smuggle a path into an S3 key. */
    public static final Pattern PATTERN = Pattern.compile("^ord_[0-9a-z]{26}$");

    private OrderId() {
    }

    /** True when {@code id} is a well-formed order id. */
    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }
}
