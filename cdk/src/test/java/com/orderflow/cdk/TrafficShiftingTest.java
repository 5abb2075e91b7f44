package com.orderflow.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.cdk.functions.OrderFunction;
import com.orderflow.cdk.rollout.DeployStrategy;

/** Each function's {@code live} alias moves to a new version through CodeDeploy, rolled back by that function's alarms. */
class TrafficShiftingTest {

    private static SynthesizedStack synth;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.dev();
    }

    @Test
    void everyLiveAlias_isUpdatedThroughItsOwnDeploymentGroup() {
        var applicationId = synth.logicalIds("AWS::CodeDeploy::Application").getFirst();
        assertThat(synth.resource(applicationId).at("/Properties/ComputePlatform").asText()).isEqualTo("Lambda");
        var groups = new ArrayList<String>();

        for (var aliasId : synth.logicalIds("AWS::Lambda::Alias")) {
            var update = synth.resource(aliasId).at("/UpdatePolicy/CodeDeployLambdaAliasUpdate");
            assertThat(update.isObject()).as(aliasId).isTrue();
            assertThat(SynthesizedStack.referencedId(update.path("ApplicationName"))).isEqualTo(applicationId);
            var groupId = SynthesizedStack.referencedId(update.path("DeploymentGroupName"));
            assertThat(synth.typeOf(groupId)).isEqualTo("AWS::CodeDeploy::DeploymentGroup");
            groups.add(groupId);
        }

        assertThat(groups).hasSize(OrderFunction.all().size()).doesNotHaveDuplicates();
    }

    @Test
    void byDefault_aCanaryOf10PercentFor5Minutes_rolledBackOnAlarmFailureOrStop() {
        for (var group : synth.resources("AWS::CodeDeploy::DeploymentGroup")) {
            var props = group.path("Properties");
            assertThat(props.path("DeploymentConfigName").asText()).isEqualTo("CodeDeployDefault.LambdaCanary10Percent5Minutes");
            assertThat(props.at("/DeploymentStyle/DeploymentType").asText()).isEqualTo("BLUE_GREEN");
            assertThat(props.at("/AlarmConfiguration/Enabled").asBoolean()).isTrue();
            assertThat(props.at("/AutoRollbackConfiguration/Enabled").asBoolean()).isTrue();
            assertThat(texts(props.at("/AutoRollbackConfiguration/Events")))
                    .containsExactlyInAnyOrder("DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_REQUEST", "DEPLOYMENT_STOP_ON_ALARM");
        }
    }

    @Test
    void eachGroup_isWatchedByItsOwnFunctionsErrorAndLatencyAlarms() {
        for (var aliasId : synth.logicalIds("AWS::Lambda::Alias")) {
            var alias = synth.resource(aliasId);
            var functionId = SynthesizedStack.referencedId(alias.at("/Properties/FunctionName"));
            var group = synth.resource(SynthesizedStack.referencedId(
                    alias.at("/UpdatePolicy/CodeDeployLambdaAliasUpdate/DeploymentGroupName"))).path("Properties");
            var metrics = new ArrayList<String>();

            for (var alarmRef : group.at("/AlarmConfiguration/Alarms")) {
                var alarm = synth.resource(SynthesizedStack.referencedId(alarmRef.path("Name"))).path("Properties");
                assertThat(alarm.path("Namespace").asText()).isEqualTo("AWS/Lambda");
                assertThat(SynthesizedStack.referencedId(alarm.at("/Dimensions/0/Value"))).as(aliasId).isEqualTo(functionId);
                // one-minute periods, so that an alarm can fire inside the five-minute canary
                assertThat(alarm.path("Period").asInt()).isEqualTo(60);
                metrics.add(alarm.path("MetricName").asText());
            }

            assertThat(metrics).as(aliasId).containsExactlyInAnyOrder("Errors", "Duration");
        }
    }

    @Test
    void latencyAlarms_fireOnP99AboveTheFunctionsThreshold_forTwoMinutes() {
        var latency = synth.resources("AWS::CloudWatch::Alarm").stream()
                .filter(a -> a.at("/Properties/MetricName").asText().equals("Duration")).toList();

        assertThat(latency).hasSize(OrderFunction.all().size());
        for (var alarm : latency) {
            var props = alarm.path("Properties");
            assertThat(props.path("ExtendedStatistic").asText()).isEqualTo("p99");
            assertThat(props.path("EvaluationPeriods").asInt()).isEqualTo(2);
            assertThat(props.path("ComparisonOperator").asText()).isEqualTo("GreaterThanThreshold");
            var api = props.path("AlarmName").asText().equals("orderflow-dev-api-latency");
            assertThat(props.path("Threshold").asInt()).as(props.path("AlarmName").asText()).isEqualTo(api ? 3000 : 2000);
        }
    }

    @Test
    void codeDeploysRole_isAssumedByCodeDeployOnly_withTheDocumentedManagedPolicy() {
        var roleId = SynthesizedStack.referencedId(
                synth.resources("AWS::CodeDeploy::DeploymentGroup").getFirst().at("/Properties/ServiceRoleArn"));
        var role = synth.resource(roleId).path("Properties");

        assertThat(role.at("/AssumeRolePolicyDocument/Statement/0/Principal/Service").asText()).isEqualTo("codedeploy.amazonaws.com");
        assertThat(role.path("ManagedPolicyArns").toString()).contains("service-role/AWSCodeDeployRoleForLambdaLimited");
        assertThat(synth.statementsOfRole(roleId)).isEmpty();
        assertThat(synth.resources("AWS::CodeDeploy::DeploymentGroup"))
                .allSatisfy(g -> assertThat(SynthesizedStack.referencedId(g.at("/Properties/ServiceRoleArn"))).isEqualTo(roleId));
    }

    @Test
    void allAtOnce_isChosenWithTheDeployStrategyProperty() {
        var allAtOnce = SynthesizedStack.synthesize(AppConfig.forStage("allatonce", SynthesizedStack.projectRoot())
                .withDeployStrategy(DeployStrategy.parse("all-at-once")), false);

        assertThat(allAtOnce.resources("AWS::CodeDeploy::DeploymentGroup")).hasSize(OrderFunction.all().size())
                .allSatisfy(g -> assertThat(g.at("/Properties/DeploymentConfigName").asText())
                        .isEqualTo("CodeDeployDefault.LambdaAllAtOnce"));
        // the alarms still stop a deployment that is under way
        assertThat(allAtOnce.resources("AWS::CodeDeploy::DeploymentGroup"))
                .allSatisfy(g -> assertThat(g.at("/Properties/AlarmConfiguration/Alarms").size()).isEqualTo(2));
    }

    @Test
    void deployStrategy_defaultsToCanary_andNamesThePropertyWhenUnknown() {
        assertThat(DeployStrategy.parse(null)).isEqualTo(DeployStrategy.CANARY);
        assertThat(DeployStrategy.parse(" ")).isEqualTo(DeployStrategy.CANARY);
        assertThat(DeployStrategy.parse("Canary")).isEqualTo(DeployStrategy.CANARY);
        assertThat(DeployStrategy.parse("all-at-once")).isEqualTo(DeployStrategy.ALL_AT_ONCE);
        assertThatThrownBy(() -> DeployStrategy.parse("linear"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dorderflow.deploy.strategy")
                .hasMessageContaining("canary, all-at-once")
                .hasMessageContaining("linear");
    }

    private static List<String> texts(JsonNode array) {
        var list = new ArrayList<String>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
