package com.orderflow.cdk.security;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.orderflow.cdk.api.OrderRequestModel;
import com.orderflow.cdk.api.ProblemJson;

import software.amazon.awscdk.services.wafv2.CfnWebACL;

/**
 * WAF's own answers for the rules orderflow writes, in the API function's problem shape. WAF serves a custom
 * body only as {@code text/plain}, {@code text/html} or {@code application/json} and lets no rule set
 * {@code Content-Type}, so these come as {@code application/json}; blocks by the managed groups, which carry no
 * custom response, reach API Gateway's {@code WAF_FILTERED} gateway response and come as problem+json.
 */
public enum FirewallResponses {
    TOO_MANY_REQUESTS(429, "Too Many Requests", "Too many requests from your address; retry in a minute.", "60"),
    TOO_MANY_ORDERS(429, "Too Many Requests", "Too many orders from your address; retry in a minute.", "60"),
    CONTENT_TOO_LARGE(413, "Content Too Large", OrderRequestModel.TOO_LARGE_DETAIL, null),
    BODY_NOT_ALLOWED_HERE(413, "Content Too Large", "Only POST /orders accepts a body over 8192 bytes.", null),
    GEO_BLOCKED(403, "Forbidden", "Requests from your country are not accepted.", null);

    private final int status;
    private final String title;
    private final String detail;
    private final String retryAfterSeconds;

    FirewallResponses(int status, String title, String detail, String retryAfterSeconds) {
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The key a rule's custom response names, e.g. {@code ContentTooLarge}. */
    public String key() {
        var key = new StringBuilder();
        for (var part : name().split("_")) {
            key.append(part.charAt(0)).append(part.substring(1).toLowerCase(Locale.ROOT));
        }
        return key.toString();
    }

    public int status() {
        return status;
    }

    /** The body WAF sends: {@code type}, {@code title}, {@code status}, {@code detail}, as the function writes them. */
    public String body() {
        return ProblemJson.of(status, title, detail);
    }

    /** Every body, for the WebACL's {@code CustomResponseBodies}. */
    public static Map<String, CfnWebACL.CustomResponseBodyProperty> bodies() {
        var bodies = new LinkedHashMap<String, CfnWebACL.CustomResponseBodyProperty>();
        for (var response : values()) {
            bodies.put(response.key(), CfnWebACL.CustomResponseBodyProperty.builder()
                    .contentType("APPLICATION_JSON")
                    .content(response.body())
                    .build());
        }
        return bodies;
    }

    /** A Block action answering with this response. */
    public CfnWebACL.RuleActionProperty block() {
        var headers = new ArrayList<CfnWebACL.CustomHTTPHeaderProperty>();
        headers.add(header("Cache-Control", "no-store"));
        if (retryAfterSeconds != null) {
            headers.add(header("Retry-After", retryAfterSeconds));
        }
        return CfnWebACL.RuleActionProperty.builder()
                .block(CfnWebACL.BlockActionProperty.builder()
                        .customResponse(CfnWebACL.CustomResponseProperty.builder()
                                .responseCode(status)
                                .customResponseBodyKey(key())
                                .responseHeaders(List.copyOf(headers))
                                .build())
                        .build())
                .build();
    }

    private static CfnWebACL.CustomHTTPHeaderProperty header(String name, String value) {
        return CfnWebACL.CustomHTTPHeaderProperty.builder().name(name).value(value).build();
    }
}
