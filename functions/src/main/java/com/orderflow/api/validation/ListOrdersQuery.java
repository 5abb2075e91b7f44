package com.orderflow.api.validation;

import com.orderflow.api.http.FieldError;
import com.orderflow.api.http.Problem;
import com.orderflow.api.orders.OrderFilter;
import com.orderflow.api.orders.PageToken;
import com.orderflow.order.OrderStatus;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The query of {@code GET /orders}, checked whole: every unknown parameter and every bad value is named in one
 * {@code 400}, so a client fixes its request once rather than one parameter at a time.
 *
 * @param limit the page size, 1..{@value #MAX_LIMIT}
 * @param after where the previous page ended, or null for the first page
 */
public record ListOrdersQuery(int limit, PageToken after, OrderFilter filter) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;
    /** Every parameter the operation takes; API Gateway's method request declares the same names. */
    public static final List<String> PARAMETERS = List.of("limit", "nextToken", "status", "createdAfter", "createdBefore");

    private static final Pattern LIMIT = Pattern.compile("^[0-9]{1,3}$");
    private static final int MAX_VALUE_LENGTH = 200;
    private static final int MAX_UNKNOWN_NAMED = 10;
    private static final String TIME_RULE = "must be an RFC 3339 date-time with a time zone, e.g. 2026-12-07T09:30:00Z";

    /** The query, or a {@link com.orderflow.api.http.ProblemException} naming each offending parameter. */
    public static ListOrdersQuery parse(Map<String, String> query) {
        var errors = new ArrayList<FieldError>();
        var unknown = new TreeSet<>(query.keySet());
        PARAMETERS.forEach(unknown::remove);
        // named one by one up to a bound, so that the answer does not grow with the request
        for (var name : unknown.stream().limit(MAX_UNKNOWN_NAMED).toList()) {
            errors.add(FieldError.parameter(name, "is not a parameter of GET /orders; it takes "
                    + String.join(", ", PARAMETERS)));
        }
        int limit = limit(query.get("limit"), errors);
        var after = token(query.get("nextToken"), errors);
        var statuses = statuses(query.get("status"), errors);
        var createdAfter = time("createdAfter", query.get("createdAfter"), errors);
        var createdBefore = time("createdBefore", query.get("createdBefore"), errors);
        if (createdAfter != null && createdBefore != null && !createdAfter.isBefore(createdBefore)) {
            errors.add(FieldError.parameter("createdBefore", "must be later than createdAfter"));
        }
        var filter = new OrderFilter(statuses, createdAfter, createdBefore);
        if (after != null && (after.kind() == PageToken.Kind.NEWEST_FIRST) != filter.filters()) {
            errors.add(FieldError.parameter("nextToken", filter.filters()
                    ? "comes from a listing without status or time filters; drop it or the filters"
                    : "comes from a filtered listing; send it with the same filters"));
        }
        if (!errors.isEmpty()) {
            throw Problem.invalid(errors.size() == 1 ? "A query parameter is not valid."
                    : errors.size() + " query parameters are not valid. See errors for each.", errors).toException();
        }
        return new ListOrdersQuery(limit, after, filter);
    }

    private static int limit(String raw, List<FieldError> errors) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        if (LIMIT.matcher(raw).matches()) {
            var value = Integer.parseInt(raw);
            if (value >= 1 && value <= MAX_LIMIT) {
                return value;
            }
        }
        errors.add(FieldError.parameter("limit", "must be a whole number from 1 to " + MAX_LIMIT));
        return DEFAULT_LIMIT;
    }

    private static PageToken token(String raw, List<FieldError> errors) {
        if (raw == null) {
            return null;
        }
        var token = PageToken.decodeOrNull(raw);
        if (token == null) {
            errors.add(FieldError.parameter("nextToken", "must be a nextToken from a previous page, unchanged"));
        }
        return token;
    }

    /** One status or several separated by commas ({@code status=REJECTED,FAILED}). */
    private static Set<OrderStatus> statuses(String raw, List<FieldError> errors) {
        var statuses = EnumSet.noneOf(OrderStatus.class);
        if (raw == null) {
            return statuses;
        }
        var rule = "must be one or more of " + String.join(", ", Arrays.stream(OrderStatus.values()).map(Enum::name).toList())
                + ", separated by commas";
        if (raw.isEmpty() || raw.length() > MAX_VALUE_LENGTH) {
            errors.add(FieldError.parameter("status", rule));
            return statuses;
        }
        for (var name : raw.split(",", -1)) {
            var status = Arrays.stream(OrderStatus.values()).filter(s -> s.name().equals(name)).findFirst();
            if (status.isEmpty()) {
                errors.add(FieldError.parameter("status", rule));
                return EnumSet.noneOf(OrderStatus.class);
            }
            statuses.add(status.get());
        }
        return statuses;
    }

    private static Instant time(String name, String raw, List<FieldError> errors) {
        if (raw == null) {
            return null;
        }
        if (raw.length() <= MAX_VALUE_LENGTH) {
            try {
                // a '+' of an offset arrives as a space when the client did not percent-encode it
                return OffsetDateTime.parse(raw.replace(' ', '+'), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            } catch (DateTimeParseException e) {
                // named below
            }
        }
        errors.add(FieldError.parameter(name, TIME_RULE));
        return null;
    }
}
