package com.orderflow.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.orderflow.cdk.functions.OrderFunction;

/** The dashboard, the alarms and the encrypted topic they notify. */
class MonitoringConstructTest {

    private static SynthesizedStack synth;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.dev();
    }

    @Test
    void dashboard_showsApiWorkflowFunctionAndWafMetrics() {
        var dashboards = synth.resources("AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        var body = dashboards.getFirst().at("/Properties/DashboardBody").toString();

        assertThat(body).contains(
                "AWS/ApiGateway", "\\\"4XXError\\\"", "\\\"5XXError\\\"", "\\\"Latency\\\"",
                "AWS/States", "ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut", "ExecutionTime",
                "AWS/Lambda", "\\\"Errors\\\"", "\\\"Duration\\\"", "\\\"Throttles\\\"",
                "AWS/WAFV2", "AllowedRequests", "BlockedRequests", "orderflow-dev-api-acl");
        // the FunctionName dimension is a reference to each function
        assertThat(synth.logicalIds("AWS::Lambda::Function")).hasSize(OrderFunction.all().size())
                .allSatisfy(id -> assertThat(body).contains("{\"Ref\":\"" + id + "\"}"));
        assertThat(dashboards.getFirst().at("/Properties/DashboardName").asText()).isEqualTo("orderflow-dev");
    }

    @Test
    void alarms_coverApi5xx_failedExecutions_andEveryFunctionsErrors() {
        var names = new TreeSet<String>();
        synth.resources("AWS::CloudWatch::Alarm").forEach(a -> names.add(a.at("/Properties/AlarmName").asText()));

        assertThat(names).contains("orderflow-dev-api-5xx", "orderflow-dev-executions-failed", "orderflow-dev-executions-timed-out");
        for (var function : OrderFunction.all()) {
            assertThat(names).contains("orderflow-dev-" + function.suffix() + "-errors", "orderflow-dev-" + function.suffix() + "-latency");
        }
        var failed = synth.resources("AWS::CloudWatch::Alarm").stream()
                .filter(a -> a.at("/Properties/AlarmName").asText().equals("orderflow-dev-executions-failed"))
                .findFirst().orElseThrow().path("Properties");
        assertThat(failed.path("Namespace").asText()).isEqualTo("AWS/States");
        assertThat(failed.path("MetricName").asText()).isEqualTo("ExecutionsFailed");
        assertThat(failed.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        assertThat(failed.path("Threshold").asDouble()).isEqualTo(1.0);
    }

    @Test
    void everyAlarm_notifiesTheAlarmTopic() {
        var topicId = synth.logicalIds("AWS::SNS::Topic").getFirst();

        for (var alarm : synth.resources("AWS::CloudWatch::Alarm")) {
            assertThat(alarm.at("/Properties/AlarmActions/0/Ref").asText()).isEqualTo(topicId);
            assertThat(alarm.at("/Properties/TreatMissingData").asText()).isEqualTo("notBreaching");
        }
    }

    @Test
    void alarmTopic_isEncryptedWithARotatedKeyThatCloudWatchMayUse() {
        var topic = synth.resources("AWS::SNS::Topic").getFirst().path("Properties");
        var keyId = SynthesizedStack.referencedId(topic.path("KmsMasterKeyId"));
        var key = synth.resource(keyId).path("Properties");

        assertThat(synth.typeOf(keyId)).isEqualTo("AWS::KMS::Key");
        assertThat(key.path("EnableKeyRotation").asBoolean()).isTrue();
        assertThat(key.path("KeyPolicy").toString()).contains("cloudwatch.amazonaws.com", "kms:GenerateDataKey*", "kms:Decrypt");
        // the topic policy refuses publishing over plain HTTP
        var topicPolicy = synth.resources("AWS::SNS::TopicPolicy").getFirst().toString();
        assertThat(topicPolicy).contains("aws:SecureTransport", "Deny");
    }
}
