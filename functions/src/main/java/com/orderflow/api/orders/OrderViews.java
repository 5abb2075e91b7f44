package com.orderflow.api.orders;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.orderflow.order.CurrencyCode;
import com.orderflow.order.FailureInfo;
import com.orderflow.order.InventoryResult;
import com.orderflow.order.Order;
import com.orderflow.order.OrderRecord;
import com.orderflow.order.OrderStatus;
import com.orderflow.order.PaymentResult;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/** The JSON bodies of the API's successful responses. */
public final class OrderViews {

    private OrderViews() {
    }

    /** Where to go next from an order; absent links are omitted. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OrderLinks(String self, String history, String execution) {
    }

    /** {@code 202} to {@code POST /orders}. */
    public record Accepted(String orderId, OrderStatus status, String executionArn, OrderLinks links) {
    }

    /**
     * {@code GET /orders/{id}}: the stored record, or what the execution knows. {@code storedStatus} is present only
     * when the stored record says otherwise than {@code status} (a run that ended without storing its final status);
     * {@code executionStatus} is Step Functions' status of the run whenever it was asked.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OrderView(String orderId, OrderStatus status, OrderStatus storedStatus, String reason, Order order,
                            InventoryResult inventory, PaymentResult payment, FailureInfo failure, String executionArn,
                            String executionStatus, Instant createdAt, Instant updatedAt, OrderLinks links) {

        public static OrderView of(OrderRecord record, String executionStatus, OrderLinks links) {
            return of(record, null, executionStatus, links);
        }

        /** The order as {@code record} has it, which disagrees with the stored record's {@code storedStatus}. */
        public static OrderView of(OrderRecord record, OrderStatus storedStatus, String executionStatus,
                                   OrderLinks links) {
            var failure = publicFailure(record.failure());
            var reason = record.reason();
            if (reason != null && failure != null && record.failure().error() != null) {
                // the workflow words a failure's reason with its error name, which may be a Java class name
                reason = reason.replace(record.failure().error(), failure.error());
            }
            return new OrderView(record.orderId(), record.status(),
                    storedStatus == record.status() ? null : storedStatus, reason, record.order(), record.inventory(),
                    record.payment(), failure, record.executionArn(), executionStatus, record.createdAt(), record.updatedAt(),
                    links);
        }
    }

    /** One line of {@code GET /orders}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OrderSummary(String orderId, OrderStatus status, BigDecimal total, CurrencyCode currency,
                               Instant createdAt, Instant updatedAt) {

        public static OrderSummary of(OrderRecord record) {
            var order = record.order();
            return new OrderSummary(record.orderId(), record.status(), order == null ? null : order.total(),
                    order == null ? null : order.currency(), record.createdAt(), record.updatedAt());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PageLinks(String self, String next) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OrderPage(List<OrderSummary> orders, String nextToken, PageLinks links) {
    }

    /** One status the order passed through, as S3 stored it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HistoryEntry(String versionId, OrderStatus status, Instant updatedAt, Instant storedAt,
                               boolean latest, OrderView record) {
    }

    public record History(String orderId, List<HistoryEntry> versions, OrderLinks links) {
    }

    /** One segment of an error name like {@code States.Timeout}: capitalized, letters and digits. */
    private static final Pattern ERROR_NAME_SEGMENT = Pattern.compile("^[A-Z][A-Za-z0-9]{0,63}$");

    /**
     * True for dotted names like {@code States.Timeout} or {@code Lambda.ServiceException}; a Java class name
     * ({@code com.example.SomeException}, lower-case package) or a bare name never qualifies.
     */
    static boolean isPublicErrorName(String error) {
        if (error == null || error.length() > 128) {
            return false;
        }
        var segments = error.split("\\.", -1);
        if (segments.length < 2) {
            return false;
        }
        for (var segment : segments) {
            if (!ERROR_NAME_SEGMENT.matcher(segment).matches()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The failure as a client may see it: the error's name only. A cause can carry a Lambda error's stack trace and
     * class names; it stays in the execution history, for operators.
     */
    static FailureInfo publicFailure(FailureInfo failure) {
        if (failure == null) {
            return null;
        }
        var error = isPublicErrorName(failure.error()) ? failure.error() : "InternalError";
        return new FailureInfo(error, null);
    }
}
