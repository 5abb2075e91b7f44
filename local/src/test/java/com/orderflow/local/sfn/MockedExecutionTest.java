package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.SfnTestClients.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import com.orderflow.local.lambda.LocalLambdaInvoker;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/** Executions started as {@code stateMachineArn#TestCase} answer mocked states from the mock configuration. */
class MockedExecutionTest {

    static final String DEFINITION = """
            {"StartAt":"Fetch","States":{
              "Fetch":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                       "Parameters":{"FunctionName":"fetch:live","Payload.$":"$"},
                       "ResultSelector":{"value.$":"$.Payload"},
                       "Retry":[{"ErrorEquals":["Lambda.ServiceException"],"IntervalSeconds":1,"BackoffRate":1.0,
                                 "MaxAttempts":2,"MaxDelaySeconds":1,"JitterStrategy":"FULL"}],
                       "Next":"Describe"},
              "Describe":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:describe",
                          "End":true}}}""";

    static final String MOCKS = """
            {"StateMachines":{"mocked":{"TestCases":{
                "FlakyFetch":{"Fetch":"ServiceErrorTwiceThenValue"},
                "BrokenFetch":{"Fetch":"AlwaysServiceError"}}},
              "mockedCallback":{"TestCases":{"Approved":{"Ask":"Approval"}}}},
             "MockedResponses":{
                "ServiceErrorTwiceThenValue":{
                  "0-1":{"Throw":{"Error":"Lambda.ServiceException","Cause":"mocked outage"}},
                  "2":{"Return":{"StatusCode":200,"Payload":"from-mock"}}},
                "AlwaysServiceError":{"0":{"Throw":{"Error":"Lambda.ServiceException","Cause":"still down"}}},
                "Approval":{"0":{"Return":{"approved":true}}}}}""";

    static final AtomicInteger REAL_FETCHES = new AtomicInteger();
    static StepFunctionsServer server;
    static SfnClient sfn;
    static String smArn;

    @BeforeAll
    static void start() {
        var lambdas = LocalLambdaInvoker.builder()
                .function("fetch", JsonNode.class, (input, context) -> {
                    REAL_FETCHES.incrementAndGet();
                    return "from-lambda";
                })
                .function("describe", JsonNode.class, (input, context) -> "got " + input.path("value").asText())
                .build();
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).taskInvoker(lambdas)
                .mockConfig(MockConfig.parse(MOCKS)).build());
        sfn = SfnTestClients.sfn(server);
        smArn = sfn.createStateMachine(b -> b.name("mocked").definition(DEFINITION)
                .roleArn(StepFunctionsServerTest.ROLE)).stateMachineArn();
    }

    @AfterAll
    static void stop() {
        sfn.close();
        server.close();
    }

    @Test
    void mockedCallbackState_takesTheMockedResponseAsItsResult_withoutWaitingForAToken() throws Exception {
        var callback = sfn.createStateMachine(b -> b.name("mockedCallback").roleArn(StepFunctionsServerTest.ROLE)
                .definition("""
                        {"StartAt":"Ask","States":{"Ask":{"Type":"Task",
                          "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
                          "Parameters":{"FunctionName":"fetch","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}""")
        ).stateMachineArn();
        int realBefore = REAL_FETCHES.get();

        var run = sfn.startExecution(b -> b.stateMachineArn(callback + "#Approved"));

        var ended = awaitEnd(sfn, run.executionArn());
        assertThat(ended.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(ended.output()).isEqualTo("{\"approved\":true}");
        assertThat(REAL_FETCHES.get()).isEqualTo(realBefore);
        assertThat(sfn.getExecutionHistory(b -> b.executionArn(run.executionArn())).events())
                .extracting(e -> e.typeAsString()).contains("TaskSubmitted", "TaskSucceeded");
    }

    @Test
    void testCase_retriesThroughMockedErrors_thenUsesTheMockedResult_andRunsUnmockedStatesForReal() throws Exception {
        int realBefore = REAL_FETCHES.get();

        var arn = sfn.startExecution(b -> b.stateMachineArn(smArn + "#FlakyFetch").name("flaky")).executionArn();
        var described = awaitEnd(sfn, arn);
        var history = sfn.getExecutionHistory(b -> b.executionArn(arn)).events();

        assertThat(arn).isEqualTo(smArn.replace(":stateMachine:", ":execution:") + ":flaky");
        assertThat(described.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(described.output()).isEqualTo("\"got from-mock\"");
        assertThat(history).filteredOn(e -> e.type() == HistoryEventType.TASK_FAILED).hasSize(2)
                .allSatisfy(e -> assertThat(e.taskFailedEventDetails().error()).isEqualTo("Lambda.ServiceException"));
        assertThat(REAL_FETCHES.get()).isEqualTo(realBefore);
    }

    @Test
    void testCase_whoseMockKeepsFailing_exhaustsTheRetries_andFailsTheExecution() throws Exception {
        var arn = sfn.startExecution(b -> b.stateMachineArn(smArn + "#BrokenFetch")).executionArn();
        var described = awaitEnd(sfn, arn);

        assertThat(described.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(described.error()).isEqualTo("Lambda.ServiceException");
        assertThat(described.cause()).isEqualTo("still down");
    }

    @Test
    void withoutTestCase_everyStateRunsForReal() throws Exception {
        int realBefore = REAL_FETCHES.get();

        var arn = sfn.startExecution(b -> b.stateMachineArn(smArn)).executionArn();
        var described = awaitEnd(sfn, arn);

        assertThat(described.output()).isEqualTo("\"got from-lambda\"");
        assertThat(REAL_FETCHES.get()).isEqualTo(realBefore + 1);
        assertThat(Json.mapper().readTree(described.output()).isTextual()).isTrue();
    }
}
