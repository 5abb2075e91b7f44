package com.orderflow.cdk.rollout;

import java.util.List;

import com.orderflow.cdk.AppConfig;
import com.orderflow.cdk.functions.OrderFunction;
import com.orderflow.cdk.functions.OrderFunctions;
import com.orderflow.cdk.observability.OrderflowMonitoring;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import software.amazon.awscdk.services.codedeploy.AutoRollbackConfig;
import software.amazon.awscdk.services.codedeploy.LambdaApplication;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentGroup;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.constructs.Construct;

/**
 * CodeDeploy moves each function's {@code live} alias to a newly published version: by default 10 % of
 * invocations for 5 minutes, then all ({@link DeployStrategy}), and back to the old version when the function's
 * error or latency alarm fires during the shift. CloudFormation waits for the shift inside the stack update.
 */
public final class TrafficShifting extends Construct {

    private final LambdaApplication application;

    public TrafficShifting(Construct scope, String id, AppConfig config, OrderFunctions functions, OrderflowMonitoring monitoring) {
        super(scope, id);
        application = LambdaApplication.Builder.create(this, "Application")
                .applicationName(config.resourceName("functions"))
                .build();
        // one role for the eight groups: CodeDeploy only reads the alarms and moves the aliases
        var role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("codedeploy.amazonaws.com"))
                .description("Lets CodeDeploy shift the live aliases of orderflow-" + config.stage() + " and read their alarms")
                .build();
        for (var function : OrderFunction.all()) {
            LambdaDeploymentGroup.Builder.create(this, function.constructId())
                    .application(application)
                    .deploymentGroupName(config.resourceName(function.suffix()))
                    .alias(functions.alias(function))
                    .deploymentConfig(config.deployStrategy().deploymentConfig())
                    .alarms(monitoring.rollbackAlarms(function))
                    .autoRollback(AutoRollbackConfig.builder()
                            .failedDeployment(true)
                            .stoppedDeployment(true)
                            .deploymentInAlarm(true)
                            .build())
                    .role(role)
                    .build();
        }
        NagSuppressions.addResourceSuppressions(role, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM4")
                .reason("CodeDeploy's Lambda deployments use the AWS-maintained AWSCodeDeployRoleForLambdaLimited policy "
                        + "(alias updates, alarm reads), which CDK's LambdaDeploymentGroup attaches and AWS documents for it.")
                .appliesTo(List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited"))
                .build()), true);
    }

    public LambdaApplication application() {
        return application;
    }
}
