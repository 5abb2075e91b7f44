package com.orderflow.api.orders;

import com.orderflow.aws.Arn;
import com.orderflow.order.OrderStatus;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The URLs the API hands out. Order URLs are absolute paths that include the part of the client's URL before the
 * API's own path (the stage on an execute-api domain), so they resolve against whatever host the client used.
 * Execution links go to the AWS console, or to the local execution view when {@code EXECUTION_VIEW_BASE_URL} is set.
 */
public record Links(String basePath, String region, String executionViewBaseUrl) {

    private static final Pattern BASE_PATH_CHARACTERS = Pattern.compile("^[A-Za-z0-9._~/-]{1,200}$");

    public Links {
        basePath = isSafeBasePath(basePath) ? basePath : "";
        if (executionViewBaseUrl != null && executionViewBaseUrl.endsWith("/")) {
            executionViewBaseUrl = executionViewBaseUrl.substring(0, executionViewBaseUrl.length() - 1);
        }
    }

    public String orders() {
        return basePath + "/orders";
    }

    public String order(String orderId) {
        return orders() + "/" + orderId;
    }

    public String history(String orderId) {
        return order(orderId) + "/history";
    }

    /** Segments like {@code /dev} or {@code /v1/shop}: unreserved characters only, so the path needs no escaping. */
    private static boolean isSafeBasePath(String path) {
        return path != null && path.startsWith("/") && !path.endsWith("/") && !path.contains("//")
                && BASE_PATH_CHARACTERS.matcher(path).matches();
    }

    /** The page of orders that a {@code nextToken} continues. */
    public String ordersPage(int limit, String nextToken) {
        return ordersPage(limit, OrderFilter.NONE, nextToken);
    }

    /** The page of orders that a {@code nextToken} continues, with the filter that selected them. */
    public String ordersPage(int limit, OrderFilter filter, String nextToken) {
        var url = new StringBuilder(orders()).append("?limit=").append(limit);
        if (filter.filters()) {
            if (filter.statuses().size() < OrderStatus.values().length) {
                url.append("&status=").append(String.join(",", filter.statuses().stream().sorted().map(Enum::name).toList()));
            }
            if (filter.createdAfter() != null) {
                url.append("&createdAfter=").append(encode(filter.createdAfter().toString()));
            }
            if (filter.createdBefore() != null) {
                url.append("&createdBefore=").append(encode(filter.createdBefore().toString()));
            }
        }
        return nextToken == null ? url.toString() : url.append("&nextToken=").append(encode(nextToken)).toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Where a person can watch the execution run. */
    public String execution(String executionArn) {
        if (executionViewBaseUrl != null) {
            return executionViewBaseUrl + "/executions/" + URLEncoder.encode(executionArn, StandardCharsets.UTF_8);
        }
        var executionRegion = regionOf(executionArn);
        return "https://" + executionRegion + ".console.aws.amazon.com/states/home?region=" + executionRegion
                + "#/v2/executions/details/" + executionArn;
    }

    private String regionOf(String arn) {
        return Arn.parse(arn).map(Arn::region).filter(r -> !r.isEmpty()).orElse(region);
    }
}
