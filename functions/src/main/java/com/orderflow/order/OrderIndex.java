package com.orderflow.order;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The listing index beside the order records: one empty object per order under the status stored last,
 * {@code order-index/{STATUS}/{position}}. A position is the order's creation time counted down from the far future
 * (19 digits, so later sorts first in S3's key order) and its id, so one S3 listing of a status's prefix yields
 * that status's orders newest first, and a time range is a range of keys: a page reads a page of entries, never
 * the bucket.
 */
public final class OrderIndex {

    public static final String PREFIX = "order-index/";

    private static final Pattern POSITION = Pattern.compile("^[0-9]{19}-" + OrderId.PATTERN.pattern().substring(1));
    /** Sorts after the '-' that ends the time part of every position, and after any id character. */
    private static final char PAST_EVERY_ID = '~';

    private OrderIndex() {
    }

    /** Where the entries of orders now at {@code status} are listed. */
    public static String prefix(OrderStatus status) {
        return PREFIX + status.name() + "/";
    }

    /** The entry of an order created at {@code createdAt} whose stored status is {@code status}. */
    public static String key(OrderStatus status, Instant createdAt, String orderId) {
        return prefix(status) + position(createdAt, orderId);
    }

    /** An entry's place in every status's listing: newest created first, ties by order id. */
    public static String position(Instant createdAt, String orderId) {
        return timePart(createdAt) + "-" + orderId;
    }

    /** Whether {@code text} has the shape of a position (as a page token carries it). */
    public static boolean isPosition(String text) {
        return text != null && POSITION.matcher(text).matches();
    }

    /** The order id at the end of a position. */
    public static String orderIdOf(String position) {
        return position.substring(position.indexOf('-') + 1);
    }

    /**
     * The line between orders created at or after {@code instant} (their positions sort before it) and those created
     * earlier (after it): a {@code createdBefore} listing starts after it, a {@code createdAfter} one ends at it.
     */
    public static String boundary(Instant instant) {
        return timePart(instant) + PAST_EVERY_ID;
    }

    /** Nanoseconds since 1970 subtracted from the largest long; times outside 1970..2262 are held at the ends. */
    private static String timePart(Instant instant) {
        long nanos;
        if (instant.isBefore(Instant.EPOCH)) {
            nanos = 0;
        } else {
            try {
                nanos = Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
            } catch (ArithmeticException beyond2262) {
                nanos = Long.MAX_VALUE;
            }
        }
        var digits = Long.toString(Long.MAX_VALUE - nanos);
        return "0".repeat(19 - digits.length()) + digits;
    }
}
