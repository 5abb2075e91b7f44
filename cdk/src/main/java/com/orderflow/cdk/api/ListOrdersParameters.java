package com.orderflow.cdk.api;

import java.util.LinkedHashMap;
import java.util.List;

import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.RequestValidator;

/**
 * {@code GET /orders}' query parameters declared on its method request, with a validator of parameters. API Gateway
 * checks only that a required parameter is present and not blank (none of these is required), so the function checks
 * the rest itself and answers an unknown parameter or a bad value with a 400 problem naming it, on AWS as locally.
 */
public final class ListOrdersParameters {

    /** The operation's parameters, as the function's ListOrdersQuery.PARAMETERS names them. */
    public static final List<String> NAMES = List.of("limit", "nextToken", "status", "createdAfter", "createdBefore");

    private ListOrdersParameters() {
    }

    /** The method options of {@code GET /orders}: its declared query parameters, checked by {@code validator}. */
    public static MethodOptions methodOptions(RequestValidator validator) {
        var parameters = new LinkedHashMap<String, Boolean>();
        NAMES.forEach(name -> parameters.put("method.request.querystring." + name, false));
        return MethodOptions.builder()
                .requestParameters(parameters)
                .requestValidator(validator)
                .build();
    }
}
