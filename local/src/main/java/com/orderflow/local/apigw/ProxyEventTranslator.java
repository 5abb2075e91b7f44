package com.orderflow.local.apigw;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Translates between HTTP and the events of API Gateway's REST API Lambda proxy integration:
 * a request becomes the {@link APIGatewayProxyRequestEvent} API Gateway would send, and the
 * function's {@link APIGatewayProxyResponseEvent} becomes the HTTP response API Gateway would return.
 */
public final class ProxyEventTranslator {

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private static final Set<String> TEXT_TYPES = Set.of(
            "application/json", "application/xml", "application/javascript",
            "application/x-www-form-urlencoded", "application/problem+json", "application/yaml");

    private final RouteTemplates routes;
    private final String stage;
    private final String accountId;
    private final String apiId;

    public ProxyEventTranslator(RouteTemplates routes, String stage, String accountId, String apiId) {
        this.routes = routes;
        this.stage = stage;
        this.accountId = accountId;
        this.apiId = apiId;
    }

    /** The proxy integration event for one request. */
    public APIGatewayProxyRequestEvent toEvent(IncomingRequest request, String requestId) {
        String path = withoutStage(request.rawPath());
        RouteTemplates.Match match = routes.match(path);
        var event = new APIGatewayProxyRequestEvent();
        event.setResource(match.resource());
        event.setPath(path);
        event.setHttpMethod(request.method());
        event.setPathParameters(match.pathParameters().isEmpty() ? null : new LinkedHashMap<>(match.pathParameters()));
        event.setStageVariables(null);

        Map<String, List<String>> query = parseQuery(request.rawQuery());
        event.setMultiValueQueryStringParameters(query.isEmpty() ? null : query);
        event.setQueryStringParameters(query.isEmpty() ? null : lastValues(query));

        Map<String, List<String>> headers = headers(request, requestId);
        event.setMultiValueHeaders(headers);
        event.setHeaders(lastValues(headers));

        byte[] body = request.body();
        if (body.length == 0) {
            event.setBody(null);
            event.setIsBase64Encoded(false);
        } else {
            String contentType = firstValue(headers, "Content-Type");
            String text = isText(contentType) ? utf8OrNull(body) : null;
            event.setBody(text != null ? text : Base64.getEncoder().encodeToString(body));
            event.setIsBase64Encoded(text == null);
        }
        event.setRequestContext(requestContext(request, path, match, requestId));
        return event;
    }

    /** The resource template a request path resolves to ({@code /orders/{id}}, or {@link RouteTemplates#PROXY}). */
    public String resourceOf(String rawPath) {
        return routes.match(withoutStage(rawPath)).resource();
    }

    /**
     * The API answers at the root ({@code /orders}, like a custom domain) and, as on an execute-api
     * URL, under the stage ({@code /local/orders}); {@code requestContext.path} keeps what the client
     * called, so links the function builds from it work either way.
     */
    private String withoutStage(String rawPath) {
        String prefix = "/" + stage;
        if (rawPath.equals(prefix)) {
            return "/";
        }
        return rawPath.startsWith(prefix + "/") ? rawPath.substring(prefix.length()) : rawPath;
    }

    /**
     * The HTTP response for a function's result. A result without a status code is a malformed
     * proxy response, which API Gateway answers with 502.
     */
    public OutgoingResponse fromEvent(APIGatewayProxyResponseEvent response, String requestId) {
        if (response == null || response.getStatusCode() == null) {
            return internalServerError(requestId);
        }
        var headers = new TreeMap<String, List<String>>(String.CASE_INSENSITIVE_ORDER);
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
        }
        if (response.getHeaders() != null) {
            // multiValueHeaders wins for a header given in both, as in API Gateway
            response.getHeaders().forEach((name, value) -> headers.putIfAbsent(name, new ArrayList<>(List.of(value))));
        }
        headers.putIfAbsent("Content-Type", List.of("application/json"));
        headers.put("x-amzn-RequestId", List.of(requestId));
        byte[] body;
        String raw = response.getBody();
        if (raw == null) {
            body = new byte[0];
        } else if (Boolean.TRUE.equals(response.getIsBase64Encoded())) {
            try {
                body = Base64.getDecoder().decode(raw);
            } catch (IllegalArgumentException e) {
                return internalServerError(requestId);
            }
        } else {
            body = raw.getBytes(StandardCharsets.UTF_8);
        }
        return new OutgoingResponse(response.getStatusCode(), new LinkedHashMap<>(headers), body);
    }

    /** What API Gateway returns when the integration fails or its response is malformed. */
    public OutgoingResponse internalServerError(String requestId) {
        return new OutgoingResponse(502, Map.of(
                "Content-Type", List.of("application/json"),
                "x-amzn-RequestId", List.of(requestId),
                "x-amzn-ErrorType", List.of("InternalServerErrorException")),
                "{\"message\": \"Internal server error\"}".getBytes(StandardCharsets.UTF_8));
    }

    private APIGatewayProxyRequestEvent.ProxyRequestContext requestContext(
            IncomingRequest request, String path, RouteTemplates.Match match, String requestId) {
        var identity = new APIGatewayProxyRequestEvent.RequestIdentity();
        identity.setSourceIp(request.sourceIp());
        identity.setUserAgent(firstValueIgnoringCase(request.headers(), "User-Agent"));

        var context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setAccountId(accountId);
        context.setApiId(apiId);
        context.setStage(stage);
        context.setRequestId(requestId);
        context.setExtendedRequestId(requestId);
        context.setResourcePath(match.resource());
        context.setResourceId(Integer.toHexString(match.resource().hashCode()));
        context.setHttpMethod(request.method());
        context.setPath(request.rawPath());
        context.setProtocol(request.protocol());
        context.setRequestTime(REQUEST_TIME.format(request.receivedAt()));
        context.setRequestTimeEpoch(request.receivedAt().toEpochMilli());
        String domain = stripPort(request.host());
        context.setDomainName(domain);
        context.setDomainPrefix(domain.contains(".") ? domain.substring(0, domain.indexOf('.')) : domain);
        context.setIdentity(identity);
        return context;
    }

    private static Map<String, List<String>> headers(IncomingRequest request, String requestId) {
        var headers = new LinkedHashMap<String, List<String>>();
        request.headers().forEach((name, values) ->
                headers.computeIfAbsent(canonicalName(name), k -> new ArrayList<>()).addAll(values));
        headers.computeIfAbsent("X-Forwarded-For", k -> new ArrayList<>()).add(request.sourceIp());
        headers.putIfAbsent("X-Forwarded-Proto", List.of("http"));
        String host = request.host();
        int colon = host.lastIndexOf(':');
        headers.putIfAbsent("X-Forwarded-Port", List.of(colon > 0 ? host.substring(colon + 1) : "80"));
        headers.putIfAbsent("X-Amzn-Trace-Id", List.of("Root=1-" + Long.toHexString(request.receivedAt().getEpochSecond())
                + "-" + requestId.replace("-", "").substring(0, 24)));
        headers.replaceAll((name, values) -> List.copyOf(values));
        return headers;
    }

    /**
     * Names in their conventional case ({@code Idempotency-Key}, {@code Content-Type}), the one clients almost always
     * send and API Gateway passes on; every value of a name, however it was spelled, stays in its list.
     */
    static String canonicalName(String name) {
        var out = new StringBuilder(name.length());
        boolean upper = true;
        for (char c : name.toCharArray()) {
            out.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
            upper = c == '-';
        }
        return out.toString();
    }

    static Map<String, List<String>> parseQuery(String rawQuery) {
        var query = new LinkedHashMap<String, List<String>>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq >= 0 ? pair.substring(0, eq) : pair, StandardCharsets.UTF_8);
            String value = eq >= 0 ? URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8) : "";
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        query.replaceAll((name, values) -> List.copyOf(values));
        return query;
    }

    /** API Gateway's single-value maps keep the last value of a repeated name. */
    private static Map<String, String> lastValues(Map<String, List<String>> multi) {
        var single = new LinkedHashMap<String, String>();
        multi.forEach((name, values) -> single.put(name, values.getLast()));
        return single;
    }

    private static String firstValue(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static String firstValueIgnoringCase(Map<String, List<String>> headers, String name) {
        for (var entry : headers.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                return entry.getValue().getFirst();
            }
        }
        return null;
    }

    /** Text media types travel as text; anything else (an API's binary media types) as base64. */
    static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.isEmpty() || type.startsWith("text/") || TEXT_TYPES.contains(type)
                || type.endsWith("+json") || type.endsWith("+xml");
    }

    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String stripPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 ? host.substring(0, end + 1) : host;
        }
        int colon = host.lastIndexOf(':');
        return colon > 0 ? host.substring(0, colon) : host;
    }
}
