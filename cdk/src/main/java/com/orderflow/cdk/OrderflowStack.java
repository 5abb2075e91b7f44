package com.orderflow.cdk;

import com.orderflow.cdk.api.OrdersRestApi;
import com.orderflow.cdk.functions.OrderFunction;
import com.orderflow.cdk.functions.OrderFunctions;
import com.orderflow.cdk.observability.OrderflowMonitoring;
import com.orderflow.cdk.rollout.TrafficShifting;
import com.orderflow.cdk.security.ApiFirewall;
import com.orderflow.cdk.storage.OrderStorage;
import com.orderflow.cdk.workflow.OrderWorkflow;

import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CliCredentialsStackSynthesizer;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.constructs.Construct;

import java.util.List;

/** The whole of orderflow on AWS in one stack, {@code orderflow-<stage>}: one construct per concern. */
public final class OrderflowStack extends Stack {

    /**
     * The one bucket the deployer uploads assets to with the caller's own credentials, held by the toolkit stack
     * {@code OrderflowToolkit} that {@code mvn -Pbootstrap} deploys: no deployment roles to assume, no bootstrap
     * version rule (the deployer checks the toolkit's version output instead).
     */
    public static final String ASSETS_BUCKET = "orderflow-assets-${AWS::AccountId}-${AWS::Region}";

    private final OrderStorage storage;
    private final OrderFunctions functions;
    private final OrderWorkflow workflow;
    private final OrdersRestApi api;
    private final ApiFirewall firewall;
    private final OrderflowMonitoring monitoring;
    private final TrafficShifting trafficShifting;

    public OrderflowStack(Construct scope, AppConfig config) {
        super(scope, config.stackName(), props(config));
        Tags.of(this).add("project", "orderflow");
        Tags.of(this).add("stage", config.stage());

        storage = new OrderStorage(this, "Storage", config);
        functions = new OrderFunctions(this, "Functions", config, storage.ordersBucket());
        workflow = new OrderWorkflow(this, "Workflow", config, functions);
        functions.connectApiTo(workflow.stateMachine());
        api = new OrdersRestApi(this, "Api", config, functions.alias(OrderFunction.API));
        firewall = new ApiFirewall(this, "Firewall", config, api.stage());
        monitoring = new OrderflowMonitoring(this, "Monitoring", config, api.restApi(), workflow.stateMachine(),
                functions, firewall.webAclName());
        trafficShifting = new TrafficShifting(this, "TrafficShifting", config, functions, monitoring);

        output("ApiUrl", api.restApi().getUrl(), "Base URL of the orders API (append orders)");
        output("StateMachineArn", workflow.stateMachine().getStateMachineArn(), "The order workflow");
        output("OrdersBucketName", storage.ordersBucket().getBucketName(), "Versioned bucket of order records");
        output("AccessLogsBucketName", storage.accessLogsBucket().getBucketName(), "Server access logs of the orders bucket");
        output("DashboardUrl", Fn.join("", List.of("https://", Aws.REGION, ".console.aws.amazon.com/cloudwatch/home?region=",
                Aws.REGION, "#dashboards:name=", monitoring.dashboard().getDashboardName())), "CloudWatch dashboard");
        output("ExecutionsConsoleUrl", Fn.join("", List.of("https://", Aws.REGION, ".console.aws.amazon.com/states/home?region=",
                Aws.REGION, "#/statemachines/view/", workflow.stateMachine().getStateMachineArn())),
                "Step Functions console: every execution, named by order id");
        output("AlarmTopicArn", monitoring.alarmTopic().getTopicArn(), "Subscribe here to receive alarms");
    }

    private static StackProps props(AppConfig config) {
        var props = StackProps.builder()
                .stackName(config.stackName())
                .description("orderflow " + config.stage() + ": serverless order processing (API Gateway, WAF, Step Functions, Lambda, S3)")
                .synthesizer(CliCredentialsStackSynthesizer.Builder.create()
                        .fileAssetsBucketName(ASSETS_BUCKET)
                        .build());
        if (config.account() != null || config.region() != null) {
            props.env(Environment.builder().account(config.account()).region(config.region()).build());
        }
        return props.build();
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    public OrderStorage storage() {
        return storage;
    }

    public OrderFunctions functions() {
        return functions;
    }

    public OrderWorkflow workflow() {
        return workflow;
    }

    public OrdersRestApi api() {
        return api;
    }

    public ApiFirewall firewall() {
        return firewall;
    }

    public OrderflowMonitoring monitoring() {
        return monitoring;
    }

    public TrafficShifting trafficShifting() {
        return trafficShifting;
    }
}
