package com.orderflow.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.local.lambda.LocalLambdaInvoker;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.InspectionLevel;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.TestExecutionStatus;

/** TestState through the SDK: one state, its output or error, where it would go next, and what it worked on. */
class TestStateTest {

    static final String FN = "arn:aws:lambda:us-east-1:000000000000:function:shout:live";

    static StepFunctionsServer server;
    static SfnClient sfn;

    @BeforeAll
    static void start() {
        var lambdas = LocalLambdaInvoker.builder()
                .function("shout", JsonNode.class, (input, context) -> {
                    if (input.path("fail").asBoolean()) {
                        throw new IllegalStateException("told to fail");
                    }
                    return input.path("word").asText().toUpperCase();
                })
                .build();
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).taskInvoker(lambdas).build());
        sfn = ExpressExecutionTest.client(server); // TestState is on the sync- host prefix too
    }

    @AfterAll
    static void stop() {
        sfn.close();
        server.close();
    }

    @Test
    void aPassState_givesItsOutputAndNextState() {
        var result = sfn.testState(b -> b.input("{\"name\":\"ada\"}").definition("""
                {"Type":"Pass","Parameters":{"greeting.$":"$.name"},"Next":"After"}"""));

        assertThat(result.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
        assertThat(result.output()).isEqualTo("{\"greeting\":\"ada\"}");
        assertThat(result.nextState()).isEqualTo("After");
    }

    @Test
    void variablesGiven_areInScopeForTheState() {
        var result = sfn.testState(b -> b.variables("{\"limit\":5}").definition("""
                {"Type":"Pass","Parameters":{"max.$":"$limit"},"End":true}"""));

        assertThat(result.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
        assertThat(result.output()).isEqualTo("{\"max\":5}");
    }

    @Test
    void aChoiceState_namesTheBranchItTakes() {
        var result = sfn.testState(b -> b.input("{\"total\":250}").definition("""
                {"Type":"Choice","Choices":[{"Variable":"$.total","NumericGreaterThan":100,"Next":"Review"}],
                 "Default":"Approve"}"""));

        assertThat(result.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
        assertThat(result.nextState()).isEqualTo("Review");
    }

    @Test
    void aTask_runsAgainstTheLocalFunction_andDebugShowsItsInputArgumentsAndResult() {
        var result = sfn.testState(b -> b.inspectionLevel(InspectionLevel.DEBUG).input("{\"w\":\"hi\"}").definition("""
                {"Type":"Task","Resource":"%s","Parameters":{"word.$":"$.w"},"ResultPath":"$.loud","End":true}"""
                .formatted(FN)));

        assertThat(result.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
        assertThat(result.output()).isEqualTo("{\"w\":\"hi\",\"loud\":\"HI\"}");
        assertThat(result.nextState()).isNull();
        assertThat(result.inspectionData().input()).isEqualTo("{\"w\":\"hi\"}");
        assertThat(result.inspectionData().afterParameters()).isEqualTo("{\"word\":\"hi\"}");
        assertThat(result.inspectionData().result()).isEqualTo("\"HI\"");
    }

    @Test
    void debug_showsEveryStageOfAJsonPathState_fromInputPathToResultPath() {
        var result = sfn.testState(b -> b.inspectionLevel(InspectionLevel.DEBUG)
                .input("{\"order\":{\"w\":\"hi\",\"n\":2},\"keep\":true}").definition("""
                {"Type":"Task","Resource":"%s","InputPath":"$.order","Parameters":{"word.$":"$.w"},
                 "ResultSelector":{"shout.$":"$"},"ResultPath":"$.loud","OutputPath":"$.loud","End":true}"""
                .formatted(FN)));

        assertThat(result.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
        var inspection = result.inspectionData();
        assertThat(inspection.input()).isEqualTo("{\"order\":{\"w\":\"hi\",\"n\":2},\"keep\":true}");
        assertThat(inspection.afterInputPath()).isEqualTo("{\"w\":\"hi\",\"n\":2}");
        assertThat(inspection.afterParameters()).isEqualTo("{\"word\":\"hi\"}");
        assertThat(inspection.result()).isEqualTo("\"HI\"");
        assertThat(inspection.afterResultSelector()).isEqualTo("{\"shout\":\"HI\"}");
        assertThat(inspection.afterResultPath())
                .isEqualTo("{\"order\":{\"w\":\"hi\",\"n\":2},\"keep\":true,\"loud\":{\"shout\":\"HI\"}}");
        assertThat(result.output()).isEqualTo("{\"shout\":\"HI\"}");
    }

    @Test
    void debug_ofAPassState_showsItsInputPathAndParameters_andInfoShowsNoInspection() {
        var debug = sfn.testState(b -> b.inspectionLevel(InspectionLevel.DEBUG).input("{\"a\":{\"b\":1}}")
                .definition("{\"Type\":\"Pass\",\"InputPath\":\"$.a\",\"Parameters\":{\"c.$\":\"$.b\"},\"End\":true}"));
        var info = sfn.testState(b -> b.input("{\"a\":{\"b\":1}}")
                .definition("{\"Type\":\"Pass\",\"InputPath\":\"$.a\",\"End\":true}"));

        assertThat(debug.inspectionData().afterInputPath()).isEqualTo("{\"b\":1}");
        assertThat(debug.inspectionData().afterParameters()).isEqualTo("{\"c\":1}");
        assertThat(debug.output()).isEqualTo("{\"c\":1}");
        assertThat(info.inspectionData()).isNull();
    }

    @Test
    void aMockedResult_standsInForTheTask_andItsDataFlowStillApplies() {
        var result = sfn.testState(b -> b.inspectionLevel(InspectionLevel.DEBUG).input("{\"w\":\"hi\"}")
                .mock(m -> m.result("{\"shout\":\"MOCKED\"}")).definition("""
                {"Type":"Task","Resource":"%s","ResultSelector":{"loud.$":"$.shout"},"ResultPath":"$.r","End":true}"""
                .formatted(FN)));

        assertThat(result.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
        assertThat(result.output()).isEqualTo("{\"w\":\"hi\",\"r\":{\"loud\":\"MOCKED\"}}");
        assertThat(result.inspectionData().result()).isEqualTo("{\"shout\":\"MOCKED\"}");
    }

    @Test
    void aMockedError_failsTheTask_caughtByItsCatch_andAWaitForTaskTokenTask_takesTheMockAsTheWorkersAnswer() {
        var caught = sfn.testState(b -> b.input("{}")
                .mock(m -> m.errorOutput(e -> e.error("Payment.Declined").cause("card declined")))
                .definition("""
                {"Type":"Task","Resource":"%s","Catch":[{"ErrorEquals":["Payment.Declined"],"Next":"Declined"}],
                 "End":true}""".formatted(FN)));
        var callback = sfn.testState(b -> b.input("{}").mock(m -> m.result("{\"approved\":true}")).definition("""
                {"Type":"Task","Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                 "Parameters":{"FunctionName":"%s","Payload":{"token.$":"$$.Task.Token"}},"End":true}""".formatted(FN)));

        assertThat(caught.status()).isEqualTo(TestExecutionStatus.CAUGHT_ERROR);
        assertThat(caught.error()).isEqualTo("Payment.Declined");
        assertThat(caught.cause()).isEqualTo("card declined");
        assertThat(caught.nextState()).isEqualTo("Declined");
        assertThat(callback.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
        assertThat(callback.output()).isEqualTo("{\"approved\":true}");
    }

    @Test
    void aMock_isRefusedWhereTheLocalEndpointCannotTakeOne() {
        assertThatThrownBy(() -> sfn.testState(b -> b.input("{}").mock(m -> m.result("{}"))
                .definition("{\"Type\":\"Pass\",\"End\":true}")))
                .isInstanceOf(software.amazon.awssdk.services.sfn.model.ValidationException.class)
                .hasMessageContaining("takes no mock");
        assertThatThrownBy(() -> sfn.testState(b -> b.input("{}").mock(m -> m.result("{}").errorOutput(e -> e.error("E")))
                .definition("{\"Type\":\"Task\",\"Resource\":\"" + FN + "\",\"End\":true}")))
                .isInstanceOf(software.amazon.awssdk.services.sfn.model.ValidationException.class)
                .hasMessageContaining("exactly one of");
    }

    @Test
    void aFailingTask_isRetriableUnderARetry_caughtUnderACatch_andFailedWithNeither() {
        var failing = "\"Type\":\"Task\",\"Resource\":\"" + FN + "\",\"End\":true";
        var start = Instant.now();

        var retriable = sfn.testState(b -> b.input("{\"fail\":true}").definition("{" + failing
                + ",\"Retry\":[{\"ErrorEquals\":[\"States.ALL\"],\"IntervalSeconds\":30}]}"));
        var caught = sfn.testState(b -> b.input("{\"fail\":true}").definition("{" + failing
                + ",\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"ResultPath\":\"$.error\",\"Next\":\"Compensate\"}]}"));
        var failed = sfn.testState(b -> b.input("{\"fail\":true}").definition("{" + failing + "}"));

        assertThat(Duration.between(start, Instant.now())).as("a Retry is read, not waited out").isLessThan(Duration.ofSeconds(20));
        assertThat(retriable.status()).isEqualTo(TestExecutionStatus.RETRIABLE);
        assertThat(retriable.error()).isEqualTo("java.lang.IllegalStateException");
        assertThat(caught.status()).isEqualTo(TestExecutionStatus.CAUGHT_ERROR);
        assertThat(caught.nextState()).isEqualTo("Compensate");
        assertThat(caught.output()).contains("\"fail\":true", "\"Error\":\"java.lang.IllegalStateException\"");
        assertThat(failed.status()).isEqualTo(TestExecutionStatus.FAILED);
        assertThat(failed.cause()).contains("told to fail");
    }

    @Test
    void aStateOfAWholeDefinition_isTestedByName_andAWaitDoesNotWait() {
        var definition = """
                {"StartAt":"Hold","States":{"Hold":{"Type":"Wait","Seconds":3600,"Next":"Stop"},
                 "Stop":{"Type":"Fail","Error":"Order.Refused","Cause":"told to"}}}""";

        var hold = sfn.testState(b -> b.definition(definition).stateName("Hold").input("{\"a\":1}"));
        var stop = sfn.testState(b -> b.definition(definition).stateName("Stop"));

        assertThat(hold.status()).isEqualTo(TestExecutionStatus.SUCCEEDED);
        assertThat(hold.nextState()).isEqualTo("Stop");
        assertThat(hold.output()).isEqualTo("{\"a\":1}");
        assertThat(stop.status()).isEqualTo(TestExecutionStatus.FAILED);
        assertThat(stop.error()).isEqualTo("Order.Refused");
        assertThat(stop.cause()).isEqualTo("told to");
    }

    @Test
    void aStateThatIsNotValid_orAResourceTheStackCannotRun_isInvalidDefinition() {
        assertThatThrownBy(() -> sfn.testState(b -> b.definition("{\"Type\":\"Pass\",\"Next\":42}")))
                .isInstanceOf(InvalidDefinitionException.class);
        assertThatThrownBy(() -> sfn.testState(b -> b.definition(
                "{\"Type\":\"Task\",\"Resource\":\"arn:aws:states:::sns:publish\",\"End\":true}")))
                .isInstanceOf(InvalidDefinitionException.class).hasMessageContaining("sns:publish");
    }
}
