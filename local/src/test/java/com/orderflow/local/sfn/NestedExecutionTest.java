package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.SfnTestClients.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;

/**
 * Nested workflows through the SDK: a parent's {@code arn:aws:states:::states:startExecution} Task starts a child in
 * the local engine (plain: it answers at once; {@code .sync}: the child's description with its output as text;
 * {@code .sync:2}: as JSON), and a child that fails fails the parent's Task with {@code States.TaskFailed}.
 */
class NestedExecutionTest {

    static final String CHILD = """
            {"StartAt":"Greet","States":{"Greet":{"Type":"Choice","Choices":[
              {"Variable":"$.fail","IsPresent":true,"Next":"Refuse"}],"Default":"Shape"},
              "Shape":{"Type":"Pass","Parameters":{"greeting.$":"States.Format('hello {}', $.name)"},"End":true},
              "Refuse":{"Type":"Fail","Error":"Child.Refused","Cause":"told to"}}}""";

    static final String PARENT = """
            {"StartAt":"FireAndForget","States":{
              "FireAndForget":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution",
                "Parameters":{"StateMachineArn":"%1$s","Input":{"name":"plain"}},"ResultPath":"$.plain","Next":"Text"},
              "Text":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
                "Parameters":{"StateMachineArn":"%1$s","Name.$":"States.Format('{}-text', $$.Execution.Name)",
                  "Input":{"name":"sync","AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$":"$$.Execution.Id"}},
                "ResultPath":"$.text","Next":"Json"},
              "Json":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
                "Parameters":{"StateMachineArn":"%1$s","Input":{"name":"sync2"}},
                "ResultSelector":{"greeting.$":"$.Output.greeting","status.$":"$.Status"},"ResultPath":"$.json",
                "Next":"Failing"},
              "Failing":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2",
                "Parameters":{"StateMachineArn":"%1$s","Input":{"fail":true}},
                "Catch":[{"ErrorEquals":["States.TaskFailed"],"ResultPath":"$.failed","Next":"Done"}],"Next":"Done"},
              "Done":{"Type":"Succeed"}}}""";

    static StepFunctionsServer server;
    static SfnClient sfn;
    static String child;
    static String parent;

    @BeforeAll
    static void start() {
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).build());
        sfn = SfnTestClients.sfn(server);
        child = sfn.createStateMachine(b -> b.name("child").definition(CHILD).roleArn(StepFunctionsServerTest.ROLE))
                .stateMachineArn();
        parent = sfn.createStateMachine(b -> b.name("parent").definition(PARENT.formatted(child))
                .roleArn(StepFunctionsServerTest.ROLE)).stateMachineArn();
    }

    @AfterAll
    static void stop() {
        sfn.close();
        server.close();
    }

    @Test
    void parent_startsChildrenInTheLocalEngine_waitsForThemAsAsked_andCatchesAFailedOne() throws Exception {
        var arn = sfn.startExecution(b -> b.stateMachineArn(parent).name("p1")).executionArn();
        var described = awaitEnd(sfn, arn);

        assertThat(described.status()).as(described.error() + ": " + described.cause())
                .isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode output = Json.mapper().readTree(described.output());
        // plain: the child's ARN and start date, at once
        var plainChild = output.at("/plain/ExecutionArn").asText();
        assertThat(plainChild).startsWith(child.replace(":stateMachine:", ":execution:") + ":");
        assertThat(output.at("/plain/StartDate").isIntegralNumber()).isTrue();
        assertThat(awaitEnd(sfn, plainChild).output()).isEqualTo("{\"greeting\":\"hello plain\"}");
        // .sync: the child's description, its output as JSON text
        assertThat(output.at("/text/Status").asText()).isEqualTo("SUCCEEDED");
        assertThat(output.at("/text/Name").asText()).isEqualTo("p1-text");
        assertThat(output.at("/text/Output").asText()).isEqualTo("{\"greeting\":\"hello sync\"}");
        assertThat(Json.mapper().readTree(output.at("/text/Input").asText())
                .path("AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID").asText()).isEqualTo(arn);
        assertThat(output.at("/text/StopDate").asLong()).isGreaterThanOrEqualTo(output.at("/text/StartDate").asLong());
        // .sync:2: its output as JSON
        assertThat(output.path("json")).isEqualTo(Json.mapper().readTree(
                "{\"greeting\":\"hello sync2\",\"status\":\"SUCCEEDED\"}"));
        // a failed child fails the Task with States.TaskFailed, its description the cause
        assertThat(output.at("/failed/Error").asText()).isEqualTo("States.TaskFailed");
        var cause = Json.mapper().readTree(output.at("/failed/Cause").asText());
        assertThat(cause.path("Status").asText()).isEqualTo("FAILED");
        assertThat(cause.path("Error").asText()).isEqualTo("Child.Refused");

        // the children are executions of the child state machine like any other
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(child)).executions()).hasSizeGreaterThanOrEqualTo(4);
        var history = sfn.getExecutionHistory(b -> b.executionArn(arn)).events();
        assertThat(history).filteredOn(e -> e.type() == HistoryEventType.TASK_SCHEDULED)
                .extracting(e -> e.taskScheduledEventDetails().resourceType() + ":" + e.taskScheduledEventDetails().resource())
                .containsExactly("states:startExecution", "states:startExecution.sync", "states:startExecution.sync:2",
                        "states:startExecution.sync:2");
    }
}
