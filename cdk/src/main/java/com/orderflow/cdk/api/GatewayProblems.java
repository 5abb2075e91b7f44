package com.orderflow.cdk.api;

import java.util.LinkedHashMap;
import java.util.Map;

import software.amazon.awscdk.services.apigateway.GatewayResponseOptions;
import software.amazon.awscdk.services.apigateway.ResponseType;
import software.amazon.awscdk.services.apigateway.RestApi;

/**
 * API Gateway's own answers (validation, unknown routes, throttling, size, WAF blocks without a custom response,
 * integration failures and the 4xx/5xx catch-alls) in the problem+json shape the API function uses.
 */
public final class GatewayProblems {

    private static final String MESSAGE = "$context.error.messageString";

    private GatewayProblems() {
    }

    /** Adds every gateway response to {@code api}. */
    public static void addTo(RestApi api) {
        invalid(api, "BadRequestBody", ResponseType.BAD_REQUEST_BODY);
        invalid(api, "BadRequestParameters", ResponseType.BAD_REQUEST_PARAMETERS);
        // API Gateway answers an unknown route with 403 "Missing Authentication Token"; the contract says 404
        plain(api, "UnknownRoute", ResponseType.MISSING_AUTHENTICATION_TOKEN, 404, "Not Found", ProblemJson.literal("No such route"));
        plain(api, "ResourceNotFound", ResponseType.RESOURCE_NOT_FOUND, 404, "Not Found", ProblemJson.literal("No such route"));
        plain(api, "TooLarge", ResponseType.REQUEST_TOO_LARGE, 413, "Content Too Large",
                ProblemJson.literal(OrderRequestModel.TOO_LARGE_DETAIL));
        plain(api, "UnsupportedMediaType", ResponseType.UNSUPPORTED_MEDIA_TYPE, 415, "Unsupported Media Type", MESSAGE);
        plain(api, "Unauthorized", ResponseType.UNAUTHORIZED, 401, "Unauthorized", MESSAGE);
        plain(api, "AccessDenied", ResponseType.ACCESS_DENIED, 403, "Forbidden", MESSAGE);
        // a managed WAF rule's block: WAF's own custom responses (rate and size rules) take precedence over this one
        plain(api, "FirewallBlocked", ResponseType.WAF_FILTERED, 403, "Forbidden", ProblemJson.literal(
                "The request was refused by the API's firewall."));
        retryLater(api, "Throttled", ResponseType.THROTTLED, 429, "Too Many Requests", MESSAGE);
        retryLater(api, "QuotaExceeded", ResponseType.QUOTA_EXCEEDED, 429, "Too Many Requests", MESSAGE);
        // a throttled function invocation (reserved concurrency reached) arrives here: the contract's 503 for capacity
        retryLater(api, "IntegrationFailure", ResponseType.INTEGRATION_FAILURE, 503, "Service Unavailable", ProblemJson.literal(
                "The service is temporarily unavailable; retry shortly."));
        plain(api, "IntegrationTimeout", ResponseType.INTEGRATION_TIMEOUT, 504, "Gateway Timeout", MESSAGE);
        // whatever is left keeps API Gateway's status; the body says which response it was
        catchAll(api, "Default4xx", ResponseType.DEFAULT_4_XX, "Request refused");
        catchAll(api, "Default5xx", ResponseType.DEFAULT_5_XX, "Gateway error");
    }

    private static void invalid(RestApi api, String id, ResponseType type) {
        add(api, id, type, 400, ProblemJson.gatewayTemplate(ProblemJson.INVALID_REQUEST, ProblemJson.INVALID_REQUEST_TITLE, 400, MESSAGE),
                Map.of());
    }

    private static void plain(RestApi api, String id, ResponseType type, int status, String title, String detail) {
        add(api, id, type, status, ProblemJson.gatewayTemplate("about:blank", title, status, detail), Map.of());
    }

    private static void retryLater(RestApi api, String id, ResponseType type, int status, String title, String detail) {
        add(api, id, type, status, ProblemJson.gatewayTemplate("about:blank", title, status, detail), Map.of("Retry-After", "'1'"));
    }

    private static void catchAll(RestApi api, String id, ResponseType type, String title) {
        add(api, id, type, null, ProblemJson.gatewayTemplate("about:blank", title, null, MESSAGE), Map.of());
    }

    private static void add(RestApi api, String id, ResponseType type, Integer status, String template, Map<String, String> headers) {
        var responseHeaders = new LinkedHashMap<String, String>();
        responseHeaders.put("Content-Type", "'application/problem+json'");
        responseHeaders.put("Cache-Control", "'no-store'");
        responseHeaders.putAll(headers);
        var options = GatewayResponseOptions.builder()
                .type(type)
                .responseHeaders(responseHeaders)
                .templates(Map.of("application/json", template));
        if (status != null) {
            options.statusCode(String.valueOf(status));
        }
        api.addGatewayResponse(id, options.build());
    }
}
