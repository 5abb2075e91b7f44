package com.orderflow.cdk.api;

import java.util.List;
import java.util.Map;

import software.amazon.awscdk.services.apigateway.JsonSchema;
import software.amazon.awscdk.services.apigateway.JsonSchemaType;
import software.amazon.awscdk.services.apigateway.JsonSchemaVersion;
import software.amazon.awscdk.services.apigateway.Model;
import software.amazon.awscdk.services.apigateway.RequestValidator;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.constructs.Construct;

/**
 * The {@code POST /orders} body model API Gateway checks before invoking the function. It is deliberately looser
 * than the function's {@code OrderRequestValidator}: it refuses only bodies the function refuses too (a test runs
 * both over the same bodies), so AWS and the local stack agree on every 202, and the function still names each
 * offending field itself.
 */
public final class OrderRequestModel {

    /** The contract's largest body, in bytes (the function's {@code JsonBody.MAX_BYTES}). */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    /** The contract's text for a body over {@link #MAX_BODY_BYTES}, as the function words it. */
    public static final String TOO_LARGE_DETAIL = "The request body must not exceed " + MAX_BODY_BYTES + " bytes.";

    private final Model model;
    private final RequestValidator validator;

    public OrderRequestModel(Construct scope, RestApi restApi) {
        model = Model.Builder.create(scope, "OrderModel")
                .restApi(restApi)
                .modelName("OrderRequest")
                .contentType("application/json")
                .description("Shape of a POST /orders body; field rules (formats, ranges, currencies) are the function's")
                .schema(schema())
                .build();
        validator = RequestValidator.Builder.create(scope, "RequestValidator")
                .restApi(restApi)
                .requestValidatorName("order-request")
                .validateRequestBody(true)
                // no required parameters today; on, so that any added later are enforced (and cdk-nag APIG2 holds)
                .validateRequestParameters(true)
                .build();
    }

    /** Required fields and JSON types only; {@code total} is optional, as in the README and the function. */
    public static JsonSchema schema() {
        var amount = JsonSchema.builder()
                .type(List.of(JsonSchemaType.NUMBER, JsonSchemaType.STRING))
                .build();
        var text = JsonSchema.builder().type(JsonSchemaType.STRING).minLength(1).build();
        var item = JsonSchema.builder()
                .type(JsonSchemaType.OBJECT)
                .required(List.of("sku", "quantity", "unitPrice"))
                .properties(Map.of(
                        "sku", JsonSchema.builder().type(JsonSchemaType.STRING).minLength(1).maxLength(64).build(),
                        "quantity", JsonSchema.builder().type(JsonSchemaType.INTEGER).minimum(1).build(),
                        "unitPrice", amount))
                .build();
        return JsonSchema.builder()
                .schema(JsonSchemaVersion.DRAFT4)
                .title("OrderRequest")
                .type(JsonSchemaType.OBJECT)
                .required(List.of("customer", "currency", "items", "payment"))
                .properties(Map.of(
                        "customer", JsonSchema.builder()
                                .type(JsonSchemaType.OBJECT)
                                .required(List.of("id", "name", "email"))
                                .properties(Map.of("id", text, "name", text, "email", text))
                                .build(),
                        "currency", JsonSchema.builder().type(JsonSchemaType.STRING).pattern("^[A-Z]{3}$").build(),
                        "items", JsonSchema.builder().type(JsonSchemaType.ARRAY).minItems(1).maxItems(100).items(item).build(),
                        "payment", JsonSchema.builder()
                                .type(JsonSchemaType.OBJECT)
                                .required(List.of("token"))
                                .properties(Map.of("token", text))
                                .build(),
                        "total", amount))
                .build();
    }

    public Model model() {
        return model;
    }

    public RequestValidator validator() {
        return validator;
    }
}
