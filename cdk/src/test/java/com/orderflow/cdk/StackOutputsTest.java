package com.orderflow.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** What the deployer relies on: stack name, outputs, and assets that go to our one bucket without bootstrap roles. */
class StackOutputsTest {

    private static SynthesizedStack synth;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.dev();
    }

    @Test
    void stack_isNamedAfterTheStage() {
        assertThat(synth.artifact().getStackName()).isEqualTo("orderflow-dev");
        assertThat(synth.artifact().getId()).isEqualTo("orderflow-dev");
    }

    @Test
    void outputs_nameTheApiStateMachineBucketDashboardAndConsole() {
        var outputs = synth.json().path("Outputs");
        var machineId = synth.logicalIds("AWS::StepFunctions::StateMachine").getFirst();

        assertThat(outputs.at("/ApiUrl/Value").toString()).contains(".execute-api.", synth.logicalIds("AWS::ApiGateway::RestApi").getFirst());
        assertThat(SynthesizedStack.referencedId(outputs.at("/StateMachineArn/Value"))).isEqualTo(machineId);
        assertThat(SynthesizedStack.referencedId(outputs.at("/OrdersBucketName/Value")))
                .isEqualTo(synth.logicalId("AWS::S3::Bucket", "StorageOrders"));
        assertThat(outputs.at("/DashboardUrl/Value").toString())
                .contains(".console.aws.amazon.com/cloudwatch/home?region=", "#dashboards:name=");
        var console = outputs.at("/ExecutionsConsoleUrl/Value").toString();
        assertThat(console).contains("https://", ".console.aws.amazon.com/states/home?region=", "#/statemachines/view/",
                "{\"Ref\":\"" + machineId + "\"}");
    }

    @Test
    void assets_goToTheOrderflowAssetsBucket_withoutAssumingAnyRole() throws Exception {
        var manifest = new ObjectMapper().readTree(
                Path.of(synth.assembly().getDirectory()).resolve("orderflow-dev.assets.json").toFile());
        var destinations = manifest.findValues("destinations");

        assertThat(destinations).isNotEmpty();
        destinations.forEach(d -> d.forEach(destination -> {
            assertThat(destination.path("bucketName").asText()).isEqualTo("orderflow-assets-${AWS::AccountId}-${AWS::Region}");
            assertThat(destination.has("assumeRoleArn")).isFalse();
        }));
        assertThat(synth.artifact().getAssumeRoleArn()).isNull();
        assertThat(synth.artifact().getCloudFormationExecutionRoleArn()).isNull();
    }

    @Test
    void lambdaCode_isReadFromTheAssetsBucket() {
        for (var function : synth.resources("AWS::Lambda::Function")) {
            assertThat(function.at("/Properties/Code/S3Bucket/Fn::Sub").asText())
                    .isEqualTo("orderflow-assets-${AWS::AccountId}-${AWS::Region}");
        }
    }

    @Test
    void template_holdsExactlyTheResourcesThatTemplateNotesDescribe() {
        var counts = new TreeMap<String, Integer>();
        synth.json().path("Resources").forEach(r -> counts.merge(r.path("Type").asText(), 1, Integer::sum));

        // keep template-notes.md in step with this list
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("AWS::S3::Bucket", 2), Map.entry("AWS::S3::BucketPolicy", 2),
                Map.entry("AWS::Logs::LogGroup", 11), Map.entry("AWS::IAM::Role", 11),
                Map.entry("AWS::IAM::Policy", 9), Map.entry("AWS::Lambda::Function", 8),
                Map.entry("AWS::Lambda::Version", 8), Map.entry("AWS::Lambda::Alias", 8),
                Map.entry("AWS::Lambda::Permission", 7), Map.entry("AWS::StepFunctions::StateMachine", 1),
                Map.entry("AWS::ApiGateway::RestApi", 1), Map.entry("AWS::ApiGateway::Account", 1),
                Map.entry("AWS::ApiGateway::Deployment", 1), Map.entry("AWS::ApiGateway::Stage", 1),
                Map.entry("AWS::ApiGateway::Resource", 3), Map.entry("AWS::ApiGateway::Method", 7),
                Map.entry("AWS::ApiGateway::GatewayResponse", 15), Map.entry("AWS::ApiGateway::Model", 1),
                Map.entry("AWS::ApiGateway::RequestValidator", 1), Map.entry("AWS::ApiGateway::UsagePlan", 1),
                Map.entry("AWS::WAFv2::WebACL", 1),
                Map.entry("AWS::WAFv2::WebACLAssociation", 1), Map.entry("AWS::WAFv2::LoggingConfiguration", 1),
                Map.entry("AWS::KMS::Key", 1), Map.entry("AWS::SNS::Topic", 1),
                Map.entry("AWS::SNS::TopicPolicy", 1), Map.entry("AWS::CloudWatch::Alarm", 19),
                Map.entry("AWS::CloudWatch::Dashboard", 1), Map.entry("AWS::CodeDeploy::Application", 1),
                Map.entry("AWS::CodeDeploy::DeploymentGroup", 8)));
        assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(134);
    }

    @Test
    void template_needsNoCdkBootstrapStack() {
        assertThat(synth.json().has("Rules")).isFalse();
        assertThat(synth.json().path("Parameters").has("BootstrapVersion")).isFalse();
        assertThat(synth.artifact().getRequiresBootstrapStackVersion()).isNull();
    }
}
