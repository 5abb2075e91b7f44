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
import software.amazon.awscdk.services.apigateway.JsonWithStandardFieldProps;
import software.amazon.awscdk.services.apigateway.LambdaIntegration;
import software.amazon.awscdk.services.apigateway.LambdaIntegrationOptions;
import software.amazon.awscdk.services.apigateway.LogGroupLogDestination;
import software.amazon.awscdk.services.apigateway.Method;
import software.amazon.awscdk.services.apigateway.MethodDeploymentOptions;
import software.amazon.awscdk.services.apigateway.MethodLoggingLevel;
import software.amazon.awscdk.services.apigateway.MethodOptions;
import software.amazon.awscdk.services.apigateway.Resource;
import software.amazon.awscdk.services.apigateway.RestApi;
import software.amazon.awscdk.services.apigateway.Stage;
import software.amazon.awscdk.services.apigateway.StageOptions;
import software.amazon.awscdk.services.apigateway.UsagePlan;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The public REST API: {@code /orders}, {@code /orders/{id}} and {@code /orders/{id}/history}, all proxied to
 * the API function's {@code live} alias, with body validation on POST, stage throttling (tighter for POST), a usage
 * plan, problem+json gateway responses, access and execution logs.
 */
public final class OrdersRestApi extends Construct {

    private final RestApi restApi;
    private final LogGroup accessLogs;
    private final UsagePlan usagePlan;

    public OrdersRestApi(Construct scope, String id, AppConfig config, IFunction apiAlias) {
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
                        // every accepted POST starts a paid execution: creation gets a tighter budget than reads
                        .methodOptions(Map.of("/orders/POST", postOrdersThrottle(config)))
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

        var orderRequest = new OrderRequestModel(this, restApi);

        var orders = restApi.getRoot().addResource("orders");
        var order = orders.addResource("{id}");
        var postOrders = orders.addMethod("POST", integration, MethodOptions.builder()
                .requestValidator(orderRequest.validator())
                .requestModels(Map.of("application/json", orderRequest.model()))
                .build());
        var history = order.addResource("history");
        var methods = new ArrayList<>(List.of(
                orders.addMethod("GET", integration, ListOrdersParameters.methodOptions(orderRequest.validator())),
                postOrders,
                order.addMethod("GET", integration),
                history.addMethod("GET", integration)));
        methods.addAll(ApiCors.of(config).addPreflights(Map.of("/orders", orders, "/orders/{id}", order,
                "/orders/{id}/history", history)));
        methods.addAll(otherMethodsToTheFunction(integration, List.of(orders, order, history)));
        usagePlan = OrderUsagePlan.create(this, config, restApi, postOrders);

        // API Gateway's own rejections in the same problem+json shape the function uses
        GatewayProblems.addTo(restApi);

        var openAccess = List.of(
                NagPackSuppression.builder()
                        .id("AwsSolutions-APIG4")
                        .reason("orderflow is a public storefront order API without user accounts; abuse is bounded by WAF (per-IP "
                                + "rates, a tighter one for POST /orders, managed rules), stage and POST /orders throttling and the API "
                                + "function's reserved concurrency. Add an authorizer when callers get identities.")
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

    /**
     * {@code ANY} on each route, below its explicit methods: the function answers a known path with another method
     * 405 and {@code Allow}, as it does locally, where API Gateway alone would say 403 "Missing Authentication Token".
     */
    private static List<Method> otherMethodsToTheFunction(LambdaIntegration integration, List<Resource> routes) {
        return routes.stream().map(route -> route.addMethod("ANY", integration)).toList();
    }

    private static MethodDeploymentOptions postOrdersThrottle(AppConfig config) {
        var limits = config.abuseLimits();
        return MethodDeploymentOptions.builder()
                .throttlingRateLimit(limits.orderPostRate())
                .throttlingBurstLimit(limits.orderPostBurst())
                // a MethodSetting entry replaces the stage-wide one for this method, so logging is restated
                .loggingLevel(MethodLoggingLevel.INFO)
                .dataTraceEnabled(false)
                .metricsEnabled(true)
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

    public UsagePlan usagePlan() {
        return usagePlan;
    }
}
