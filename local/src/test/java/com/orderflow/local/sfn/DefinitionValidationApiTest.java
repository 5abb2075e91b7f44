package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.StepFunctionsServerTest.ROLE;
import static com.orderflow.local.sfn.StepFunctionsServerTest.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.local.lambda.LocalLambdaInvoker;
import com.orderflow.local.lambda.OrderflowFunctions;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionDiagnostic;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResultCode;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionSeverity;

/** ValidateStateMachineDefinition in AWS's shape, and Task resources the local stack cannot run refused up front. */
class DefinitionValidationApiTest {

    static final String SNS = """
            {"StartAt":"Notify","States":{"Notify":{"Type":"Task","Resource":"arn:aws:states:::sns:publish",
             "Parameters":{"TopicArn":"arn:aws:sns:us-east-1:000000000000:t","Message":"hi"},"End":true}}}""";
    static final String NESTED_CALLBACK = """
            {"StartAt":"Both","States":{"Both":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"Fine","States":{"Fine":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                "Parameters":{"FunctionName":"shout"},"End":true}}},
              {"StartAt":"Wait","States":{"Wait":{"Type":"Task",
                "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}]}}}""";

    static StepFunctionsServer server;
    static SfnClient sfn;
    static LocalLambdaInvoker lambdas;

    @BeforeAll
    static void start() {
        lambdas = OrderflowFunctions.register(LocalLambdaInvoker.builder(), S3Client.builder()
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).build(), "unused").build();
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).taskInvoker(lambdas)
                .mockConfig(MockConfig.parse("""
                        {"StateMachines":{"mocked":{"TestCases":{"Happy":{"Notify":"Sent"}}}},
                         "MockedResponses":{"Sent":{"0":{"Return":{"MessageId":"m-1"}}}}}""")).build());
        sfn = SfnTestClients.sfn(server);
    }

    @AfterAll
    static void stop() {
        sfn.close();
        server.close();
    }

    @Test
    void theRealWorkflow_withItsPlaceholdersFilled_isOk() throws Exception {
        var definition = DefinitionTemplate.render(
                Files.readString(OrderWorkflowTest.repositoryRoot().resolve("statemachine/order-workflow.asl.json")),
                OrderflowFunctions.definitionSubstitutions(lambdas));

        var result = sfn.validateStateMachineDefinition(b -> b.definition(definition));

        assertThat(result.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.OK);
        assertThat(result.diagnostics()).isEmpty();
        assertThat(result.truncated()).isFalse();
    }

    @Test
    void everyProblem_isADiagnosticWithSeverityCodeMessageAndLocation() {
        var result = sfn.validateStateMachineDefinition(b -> b.definition("""
                {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"},"B":{"Type":"Wait","End":true}}}"""));

        assertThat(result.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.FAIL);
        assertThat(result.diagnostics()).extracting(ValidateStateMachineDefinitionDiagnostic::code)
                .contains("MISSING_TRANSITION_TARGET", "SCHEMA_VALIDATION_FAILED");
        var missing = result.diagnostics().stream().filter(d -> d.code().equals("MISSING_TRANSITION_TARGET"))
                .findFirst().orElseThrow();
        assertThat(missing.severity()).isEqualTo(ValidateStateMachineDefinitionSeverity.ERROR);
        assertThat(missing.location()).isEqualTo("/States/A/Next");
        assertThat(missing.message()).contains("Nowhere");
    }

    @Test
    void textThatIsNoJson_isOneInvalidJsonDiagnostic_andMaxResultsTruncates() {
        var notJson = sfn.validateStateMachineDefinition(b -> b.definition("not a definition"));
        var many = sfn.validateStateMachineDefinition(b -> b.maxResults(1).definition("""
                {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"X"},"B":{"Type":"Pass","Next":"Y"}}}"""));

        assertThat(notJson.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.FAIL);
        assertThat(notJson.diagnostics()).singleElement()
                .satisfies(d -> assertThat(d.code()).isEqualTo("INVALID_JSON_DESCRIPTION"));
        assertThat(many.diagnostics()).hasSize(1);
        assertThat(many.truncated()).isTrue();
        assertThatThrownBy(() -> sfn.validateStateMachineDefinition(b -> b.definition("{}").maxResults(101)))
                .isInstanceOfSatisfying(SfnException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void aResourceTheLocalStackCannotRun_isRefusedAtCreate_andNamedByValidate() {
        var validated = sfn.validateStateMachineDefinition(b -> b.definition(SNS));

        assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name(unique("sns")).definition(SNS).roleArn(ROLE)))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("arn:aws:states:::sns:publish")
                .hasMessageContaining("/States/Notify/Resource");
        assertThat(validated.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.FAIL);
        assertThat(validated.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("INVALID_RESOURCE");
            assertThat(d.location()).isEqualTo("/States/Notify/Resource");
            assertThat(d.message()).contains("arn:aws:states:::sns:publish", "Lambda");
        });
    }

    @Test
    void anUnrunnableResourceInsideAParallelBranch_isFoundThere_andUpdateRefusesItToo() {
        var arn = sfn.createStateMachine(b -> b.name(unique("ok")).definition(StepFunctionsServerTest.PASS)
                .roleArn(ROLE)).stateMachineArn();

        var validated = sfn.validateStateMachineDefinition(b -> b.definition(NESTED_CALLBACK));

        assertThat(validated.diagnostics()).singleElement()
                .satisfies(d -> assertThat(d.location()).isEqualTo("/States/Both/Branches/1/States/Wait/Resource"));
        assertThatThrownBy(() -> sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(NESTED_CALLBACK)))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining("sqs:sendMessage.waitForTaskToken");
        assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition())
                .isEqualTo(StepFunctionsServerTest.PASS);
    }

    @Test
    void aStateTheMockConfigurationAnswersFor_mayNameAResourceThatOnlyTheMockRuns() throws Exception {
        var arn = sfn.createStateMachine(b -> b.name("mocked").definition(SNS).roleArn(ROLE)).stateMachineArn();

        var run = sfn.startExecution(b -> b.stateMachineArn(arn + "#Happy"));

        JsonNode output = com.orderflow.json.Json.mapper().readTree(SfnTestClients.awaitEnd(sfn, run.executionArn()).output());
        assertThat(output.path("MessageId").asText()).isEqualTo("m-1");
    }
}
