package com.orderflow.cdk.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.orderflow.cdk.AppConfig;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.apigateway.AccessLogFormat;
import software.amazon.awscdk.services.apigateway.EndpointType;
import software.amazon.awscdk.services.apigateway.GatewayResponseOptions;
import software.amazon.awscdk.services.apigateway.JsonSchema;
import software.amazon.awscdk.services.apigateway.JsonSchemaType;
import software.amazon.awscdk.services.apigateway.JsonSchemaVersion;
import software.amazon.awscdk.services.apigateway.JsonWithStandardFieldProps;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LambdaIntegrationOptions;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.Model;
import software.amazon.awscdk.services.apigateway.RequestValidator;
import software.amazon.awscdk.services.apigateway.ResponseType;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.Stage;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The public REST API: {@code /orders}, {@code /orders/{id}} and {@code /orders/{id}/history}, all proxied to
 * the API function's {@code live} alias, with body validation on POST, stage throttling, access and execution logs.
 */
public final class OrdersApi extends Construct {

    private final RestApi restApi;
    private final LogGroup accessLogs;

    public OrdersApi(Construct scope, String id, AppConfig config, IFunction apiAlias) {
        super(scope, id);

        accessLogs = LogGroup.Builder.create(this, "AccessLogs")
                .logGroupName("/aws/apigateway/" + config.resourceName("api") + "/access")
                .retention(config.isProduction() ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_WEEK)
                .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();

        restApi = RestApi.Builder.create(this, "RestApi")
                .restApiName(config.resourceName("api"))
                .description("orderflow " + config.stage() + ": POST and read orders")
                .endpointTypes(List.of(EndpointType.REGIONAL))
                // execution logging needs the account-level CloudWatch role; CDK keeps it (RETAIN) when the stack goes
                .cloudWatchRole(true)
                .deployOptions(StageOptions.builder()
                        .stageName(config.stage())
                        .throttlingRateLimit(config.apiRateLimit())
                        .throttlingBurstLimit(config.apiBurstLimit())
                        .loggingLevel(MethodLoggingLevel.INFO)
                        // request/response bodies hold customer data and payment tokens: never in execution logs
                        .dataTraceEnabled(false)
                        .metricsEnabled(true)
                        .tracingEnabled(true)
                        .accessLogDestination(new LogGroupLogDestination(accessLogs))
                        .accessLogFormat(AccessLogFormat.jsonWithStandardFields(JsonWithStandardFieldProps.builder()
                                .caller(true).httpMethod(true).ip(true).protocol(true).requestTime(true)
                                .resourcePath(true).responseLength(true).status(true).user(true)
                                .build()))
                        .build())
                .build();

        var integration = new LambdaIntegration(apiAlias, LambdaIntegrationOptions.builder()
                .proxy(true)
                // no extra permission for the console's test-invoke: fewer policy statements on the alias
                .allowTestInvoke(false)
                .build());

        var orderModel = Model.Builder.create(this, "OrderModel")
                .restApi(restApi)
                .modelName("OrderRequest")
                .contentType("application/json")
                .description("Shape of a POST /orders body; business rules (currencies, totals, stock) are the function's")
                .schema(orderSchema())
                .build();
        var validator = RequestValidator.Builder.create(this, "RequestValidator")
                .restApi(restApi)
                .requestValidatorName("order-request")
                .validateRequestBody(true)
                // no required parameters today; on, so that any added later are enforced (and cdk-nag APIG2 holds)
                .validateRequestParameters(true)
                .build();

        var orders = restApi.getRoot().addResource("orders");
        var order = orders.addResource("{id}");
        var history = order.addResource("history");
        var methods = new ArrayList<>(List.of(
                orders.addMethod("GET", integration, ListOrdersParameters.methodOptions(validator)),
                orders.addMethod("POST", integration, MethodOptions.builder()
                        .requestValidator(validator)
                        .requestModels(Map.of("application/json", orderModel))
                        .build()),
                order.addMethod("GET", integration),
                history.addMethod("GET", integration)));
        methods.addAll(ApiCors.of(config).addPreflights(Map.of("/orders", orders, "/orders/{id}", order,
                "/orders/{id}/history", history)));

        // API Gateway's own rejections in the same problem+json shape the function uses
        // (templates are plain substitution, no VTL: only messageString is JSON-quoted, so nothing else unquoted goes in)
        problemResponse("BadRequestBody", ResponseType.BAD_REQUEST_BODY, "400", "Bad Request", "$context.error.messageString");
        // API Gateway answers an unknown route with 403 "Missing Authentication Token"; the contract says 404
        problemResponse("UnknownRoute", ResponseType.MISSING_AUTHENTICATION_TOKEN, "404", "Not Found", "\"No such route\"");
        problemResponse("Throttled", ResponseType.THROTTLED, "429", "Too Many Requests", "$context.error.messageString");

        var openAccess = List.of(
                NagPackSuppression.builder()
                        .id("AwsSolutions-APIG4")
                        .reason("orderflow is a public storefront order API without user accounts; abuse is bounded by WAF "
                                + "(rate-based and managed rules) and stage throttling. Add an authorizer when callers get identities.")
                        .build(),
                NagPackSuppression.builder()
                        .id("AwsSolutions-COG4")
                        .reason("No Cognito user pool exists for a public order API; see AwsSolutions-APIG4.")
                        .build());
        for (var method : methods) {
            NagSuppressions.addResourceSuppressions(method, openAccess);
        }
        NagSuppressions.addResourceSuppressions(restApi.getNode().findChild("CloudWatchRole"), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM4")
                .reason("The account-level API Gateway CloudWatch role uses the AWS-maintained AmazonAPIGatewayPushToCloudWatchLogs "
                        + "policy, which API Gateway documents for execution logging.")
                .appliesTo(List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"))
                .build()));
    }

    /** {@code detailJson} is a JSON string literal or {@code $context.error.messageString} (which API Gateway quotes). */
    private void problemResponse(String id, ResponseType type, String status, String title, String detailJson) {
        restApi.addGatewayResponse(id, GatewayResponseOptions.builder()
                .type(type)
                .statusCode(status)
                .responseHeaders(Map.of("Content-Type", "'application/problem+json'"))
                .templates(Map.of("application/json",
                        "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                                + ",\"detail\":" + detailJson + ",\"requestId\":\"$context.requestId\"}"))
                .build());
    }

    /** Structure only: required fields and JSON types, so that the function still answers business errors itself. */
    static JsonSchema orderSchema() {
        var amount = JsonSchema.builder()
                .type(List.of(JsonSchemaType.NUMBER, JsonSchemaType.STRING))
                .build();
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
                .required(List.of("customer", "currency", "items", "payment", "total"))
                .properties(Map.of(
                        "customer", JsonSchema.builder().type(JsonSchemaType.OBJECT).build(),
                        "currency", JsonSchema.builder().type(JsonSchemaType.STRING).pattern("^[A-Z]{3}$").build(),
                        "items", JsonSchema.builder().type(JsonSchemaType.ARRAY).minItems(1).maxItems(100).items(item).build(),
                        "payment", JsonSchema.builder()
                                .type(JsonSchemaType.OBJECT)
                                .required(List.of("token"))
                                .properties(Map.of("token", JsonSchema.builder().type(JsonSchemaType.STRING).minLength(1).build()))
                                .build(),
                        "total", amount))
                .build();
    }

    public RestApi restApi() {
        return restApi;
    }

    public Stage stage() {
        return restApi.getDeploymentStage();
    }

    public LogGroup accessLogs() {
        return accessLogs;
    }
}
