package com.orderflow.api.orders;

import com.orderflow.order.OrderStatus;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * Which orders {@code GET /orders} lists: those whose stored status is one of {@code statuses}, created from
 * {@code createdAfter} (inclusive) until {@code createdBefore} (exclusive); a null bound is open. Half-open, so
 * consecutive windows neither overlap nor leave a gap.
 */
public record OrderFilter(Set<OrderStatus> statuses, Instant createdAfter, Instant createdBefore) {

    /** Every order: the listing of the records themselves, as before filters existed. */
    public static final OrderFilter NONE = new OrderFilter(EnumSet.allOf(OrderStatus.class), null, null);

    public OrderFilter {
        statuses = statuses.isEmpty() ? Set.copyOf(EnumSet.allOf(OrderStatus.class)) : Set.copyOf(statuses);
    }

    /** Whether anything is filtered at all (a listing of the index rather than of the records). */
    public boolean filters() {
        return statuses.size() < OrderStatus.values().length || createdAfter != null || createdBefore != null;
    }

}
