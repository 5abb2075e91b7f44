package com.orderflow.cdk.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;

import com.orderflow.cdk.AppConfig;
import com.orderflow.cdk.functions.OrderFunction;
import com.orderflow.cdk.functions.OrderFunctions;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The Standard state machine running {@code statemachine/order-workflow.asl.json} unchanged, with each
 * {@code ${...FunctionArn}} placeholder substituted by the ARN of that function's {@code live} alias.
 */
public final class OrderWorkflow extends Construct {

    private final StateMachine stateMachine;
    private final LogGroup logGroup;

    public OrderWorkflow(Construct scope, String id, AppConfig config, OrderFunctions functions) {
        super(scope, id);
        var definition = readDefinition(config);

        // the /aws/vendedlogs/ prefix keeps the log group out of the account's size-limited CloudWatch Logs resource policy
        logGroup = LogGroup.Builder.create(this, "ExecutionLogs")
                .logGroupName("/aws/vendedlogs/states/" + config.resourceName("order-workflow"))
                .retention(config.isProduction() ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_WEEK)
                .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();

        var substitutions = new LinkedHashMap<String, String>();
        var aliasArns = new java.util.ArrayList<String>();
        for (var task : OrderFunction.workflowTasks()) {
            var aliasArn = functions.alias(task).getFunctionArn();
            substitutions.put(task.aslPlaceholder(), aliasArn);
            aliasArns.add(aliasArn);
        }

        stateMachine = StateMachine.Builder.create(this, "StateMachine")
                .stateMachineName(config.resourceName("order-workflow"))
                .stateMachineType(StateMachineType.STANDARD)
                // inline rather than an S3 asset: the definition is reviewable in the template and in a diff
                .definitionBody(DefinitionBody.fromString(definition))
                .definitionSubstitutions(substitutions)
                .logs(LogOptions.builder()
                        .destination(logGroup)
                        .level(LogLevel.ALL)
                        .includeExecutionData(true)
                        .build())
                .tracingEnabled(true)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        // exactly the seven aliases; no $LATEST, no other version, no other function
        stateMachine.addToRolePolicy(PolicyStatement.Builder.create()
                .sid("InvokeWorkflowTaskAliases")
                .actions(List.of("lambda:InvokeFunction"))
                .resources(aliasArns)
                .build());

        NagSuppressions.addResourceSuppressions(stateMachine.getRole(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("CloudWatch Logs delivery (logs:CreateLogDelivery, PutResourcePolicy, ...) and X-Ray tracing "
                        + "actions support no resource-level permissions; Step Functions documents Resource * for both.")
                .appliesTo(List.of("Resource::*"))
                .build()), true);
    }

    private static String readDefinition(AppConfig config) {
        try {
            return Files.readString(config.stateMachineFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state machine definition " + config.stateMachineFile(), e);
        }
    }

    public StateMachine stateMachine() {
        return stateMachine;
    }

    public LogGroup logGroup() {
        return logGroup;
    }
}
