package com.orderflow.api.routing;

import com.orderflow.api.http.ApiRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps a request to a {@link Route}. API Gateway's REST proxy event names the matched resource template
 * ({@code /orders/{id}}) and its path parameters, which survive custom-domain base paths; when the resource is
 * absent, unknown or a greedy proxy, the plain path is parsed instead, so either field alone is enough.
 */
public final class Router {

    /** A template parameter such as {@code {id}}; any name is accepted so the API definition may choose it. */
    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    /** The methods of {@code /orders}, as its {@code Allow} header lists them. */
    public static final List<String> COLLECTION_METHODS = List.of("GET", "HEAD", "POST");
    /** The methods of {@code /orders/{id}} and {@code /orders/{id}/history}. */
    public static final List<String> ITEM_METHODS = List.of("GET", "HEAD");

    public RouteMatch match(ApiRequest request) {
        var segments = segments(request);
        if (segments == null) {
            return new RouteMatch.NotFound();
        }
        var isOrders = !segments.isEmpty() && segments.getFirst().equals("orders");
        // HEAD is GET without the body (RFC 9110): same route, same headers; the HTTP front end drops the body
        var read = request.method().equals("GET") || request.method().equals("HEAD");
        if (isOrders && segments.size() == 1) {
            if (read) {
                return found(new Route.ListOrders());
            }
            return request.method().equals("POST") ? found(new Route.CreateOrder())
                    : new RouteMatch.MethodNotAllowed(COLLECTION_METHODS);
        }
        if (isOrders && segments.size() == 2) {
            return read ? found(new Route.GetOrder(segments.get(1))) : new RouteMatch.MethodNotAllowed(ITEM_METHODS);
        }
        if (isOrders && segments.size() == 3 && segments.get(2).equals("history")) {
            return read ? found(new Route.GetOrderHistory(segments.get(1))) : new RouteMatch.MethodNotAllowed(ITEM_METHODS);
        }
        return new RouteMatch.NotFound();
    }

    private static RouteMatch found(Route route) {
        return new RouteMatch.Found(route);
    }

    /** The request's path segments, from the resource template when it resolves, else from the path; null if neither. */
    private static List<String> segments(ApiRequest request) {
        var fromResource = fromResource(request.resource(), request.pathParameters());
        if (fromResource != null) {
            return fromResource;
        }
        return request.path() == null ? null : split(request.path());
    }

    private static List<String> fromResource(String resource, Map<String, String> parameters) {
        if (resource == null || resource.isEmpty()) {
            return null;
        }
        if (resource.equals("/{proxy+}") && parameters.containsKey("proxy")) {
            return split("/" + parameters.get("proxy"));
        }
        var template = split(resource);
        if (template == null) {
            return null;
        }
        var segments = new ArrayList<String>();
        for (var segment : template) {
            var param = PARAM.matcher(segment);
            if (param.matches()) {
                var value = parameters.get(param.group(1));
                if (value == null) {
                    return null;
                }
                segments.add(value);
            } else if (segment.contains("{")) {
                // a greedy or partial template we do not know: let the path decide
                return null;
            } else {
                segments.add(segment);
            }
        }
        return segments;
    }

    /**
     * The segments of a path; one trailing slash is ignored ({@code /orders/} is {@code /orders}), but an empty
     * segment anywhere else ({@code //orders}, {@code /orders//history}) names no resource: null.
     */
    private static List<String> split(String path) {
        var trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        if (trimmed.isEmpty()) {
            return List.of();
        }
        var segments = List.of(trimmed.split("/", -1));
        return segments.contains("") ? null : segments;
    }
}
