package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.SfnTestClients.awaitEnd;
import static com.orderflow.local.sfn.StepFunctionsServerTest.ROLE;
import static com.orderflow.local.sfn.StepFunctionsServerTest.unique;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;

/** A definition's expressions are compiled once per revision, however often a version of it is started. */
class CompiledRevisionsTest {

    private static final String V1 = """
            {"QueryLanguage":"JSONata","StartAt":"Say","States":{"Say":{"Type":"Pass",
              "Output":"{% 'one ' & $states.input.who %}","End":true}}}""";
    private static final String V2 = """
            {"QueryLanguage":"JSONata","StartAt":"Say","States":{"Say":{"Type":"Pass",
              "Output":"{% 'two ' & $states.input.who %}","End":true}}}""";

    private StepFunctionsServer server;
    private SfnClient sfn;

    @BeforeEach
    void start() {
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).build());
        sfn = SfnTestClients.sfn(server);
    }

    @AfterEach
    void stop() {
        sfn.close();
        server.close();
    }

    @Test
    void anOlderVersion_isCompiledOnce_andTheCurrentRevisionIsTheRegisteredDefinition() throws Exception {
        // given version 1, then an update to version 2
        var created = sfn.createStateMachine(b -> b.name(unique("once")).definition(V1).roleArn(ROLE).publish(true));
        var arn = created.stateMachineArn();
        long first = server.stateMachines().describe(arn).revision();
        sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(V2).publish(true));
        var current = server.stateMachines().describe(arn);

        // when version 1 is started twice and its revision read again
        assertThat(output(created.stateMachineVersionArn())).isEqualTo("\"one Ann\"");
        assertThat(output(created.stateMachineVersionArn())).isEqualTo("\"one Ann\"");
        var once = server.stateMachines().atRevision(first).orElseThrow().definition();
        var again = server.stateMachines().atRevision(first).orElseThrow().definition();

        // then one compiled definition serves every start, and the current revision is not compiled a second time
        assertThat(again).isSameAs(once);
        assertThat(once.json()).isEqualTo(V1);
        assertThat(server.stateMachines().atRevision(current.revision()).orElseThrow().definition())
                .isSameAs(current.definition());
        assertThat(output(arn + ":2")).isEqualTo("\"two Ann\"");
    }

    private String output(String target) throws Exception {
        var run = sfn.startExecution(b -> b.stateMachineArn(target).input("{\"who\":\"Ann\"}"));
        return awaitEnd(sfn, run.executionArn()).output();
    }
}
