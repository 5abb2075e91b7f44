package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.SfnTestClients.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderflow.local.lambda.LocalLambdaInvoker;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * The 256 KiB payload limit as AWS enforces it: on the execution input, a state's output (a Parallel's and a Map's
 * too, whose branches or iterations each stay under it) and a task's result.
 */
class PayloadLimitTest {

    private static final String ROLE = StepFunctionsServerTest.ROLE;
    private static final String BIG = "arn:aws:lambda:us-east-1:000000000000:function:big:live";
    private static final int OVER_LIMIT = 257 * 1024;
    /** An input whose string {@code s}, twice over, is past the limit: 140,000 characters. */
    private static final String HALF_OVER = "{\"s\":\"" + "a".repeat(140_000) + "\"}";

    private static StepFunctionsServer server;
    private static SfnClient sfn;

    @BeforeAll
    static void start() {
        var lambdas = LocalLambdaInvoker.builder()
                .function("big", JsonNode.class, (input, context) ->
                        new ObjectMapper().createObjectNode().put("blob", "é".repeat(input.path("chars").asInt())))
                .build();
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).taskInvoker(lambdas).build());
        sfn = SfnTestClients.sfn(server);
    }

    @AfterAll
    static void stop() {
        sfn.close();
        server.close();
    }

    @Test
    void executionInputOverTheLimit_isRefusedByStartExecution() {
        String machine = create("""
                {"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""");
        String input = "{\"blob\":\"" + "a".repeat(OVER_LIMIT) + "\"}";

        var refused = catchThrowableOfType(SfnException.class,
                () -> sfn.startExecution(b -> b.stateMachineArn(machine).input(input)));

        assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(refused.awsErrorDetails().errorMessage()).contains("'input'").contains("262144");
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine)).executions()).isEmpty();
    }

    @Test
    void stateOutputOverTheLimit_failsTheExecutionWithDataLimitExceeded() throws Exception {
        var ended = run(create("""
                {"QueryLanguage":"JSONata","StartAt":"State_1","States":{"State_1":{"Type":"Pass",
                  "Output":{"Arg1":"{% $states.input.s & $states.input.s %}"},"End":true}}}"""), HALF_OVER);

        assertThat(ended.statusAsString()).isEqualTo("FAILED");
        assertThat(ended.error()).isEqualTo("States.DataLimitExceeded");
        assertThat(ended.cause()).endsWith("The state/task 'State_1' returned a result with a size exceeding the "
                + "maximum number of bytes service limit.");
    }

    @Test
    void taskResultOverTheLimitInUtf8Bytes_isACatchableDataLimitExceeded() throws Exception {
        // 140,000 two-byte characters: under the limit in characters, over it in UTF-8 bytes
        var ended = run(create("""
                {"StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"%s","Catch":[{"ErrorEquals":["States.DataLimitExceeded"],
                       "ResultPath":"$.failure","Next":"Handled"}],"End":true},
                  "Handled":{"Type":"Pass","OutputPath":"$.failure.Error","End":true}}}""".formatted(BIG)),
                "{\"chars\":140000}");

        assertThat(ended.statusAsString()).isEqualTo("SUCCEEDED");
        assertThat(ended.output()).isEqualTo("\"States.DataLimitExceeded\"");
    }

    @Test
    void taskResultOverTheLimit_isCaughtByStatesAll_asAwsRecordedIt() throws Exception {
        // LocalStack's AWS-validated snapshot: a Catch on States.ALL alone takes an oversized Lambda result
        var ended = run(create("""
                {"StartAt":"InvokeLambda","States":{
                  "InvokeLambda":{"Type":"Task","Resource":"%s","Catch":[{"ErrorEquals":["States.ALL"],
                       "Next":"HandleGeneralError"}],"Next":"ProcessResult"},
                  "ProcessResult":{"Type":"Pass","End":true},
                  "HandleGeneralError":{"Type":"Pass","End":true}}}""".formatted(BIG)), "{\"chars\":140000}");

        assertThat(ended.statusAsString()).isEqualTo("SUCCEEDED");
        JsonNode output = new ObjectMapper().readTree(ended.output());
        assertThat(output.path("Error").asText()).isEqualTo("States.DataLimitExceeded");
        assertThat(output.path("Cause").asText()).isEqualTo("The state/task '" + BIG
                + "' returned a result with a size exceeding the maximum number of bytes service limit.");
    }

    @Test
    void parallelWhoseBranchesTogetherPassTheLimit_failsWithDataLimitExceeded() throws Exception {
        // each branch's output is under the limit; the Parallel's, both of them, is not
        var ended = run(create("""
                {"QueryLanguage":"JSONata","StartAt":"Fork","States":{"Fork":{"Type":"Parallel","End":true,"Branches":[
                  {"StartAt":"L","States":{"L":{"Type":"Pass","Output":"{% $states.input.s %}","End":true}}},
                  {"StartAt":"R","States":{"R":{"Type":"Pass","Output":"{% $states.input.s %}","End":true}}}]}}}"""),
                HALF_OVER);

        assertThat(ended.statusAsString()).isEqualTo("FAILED");
        assertThat(ended.error()).isEqualTo("States.DataLimitExceeded");
        assertThat(ended.cause()).endsWith("The state/task 'Fork' returned a result with a size exceeding the "
                + "maximum number of bytes service limit.");
    }

    @Test
    void mapWhoseIterationsTogetherPassTheLimit_failsWithDataLimitExceeded() throws Exception {
        var ended = run(create("""
                {"StartAt":"Each","States":{"Each":{"Type":"Map","ItemsPath":"$.items","End":true,
                  "ItemProcessor":{"StartAt":"Grow","States":{"Grow":{"Type":"Pass",
                    "Parameters":{"blob.$":"States.Format('{}{}{}{}{}{}{}{}{}{}', $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s, $.s)"},
                    "End":true}}}}}}"""),
                "{\"items\":[{\"s\":\"%1$s\"},{\"s\":\"%1$s\"},{\"s\":\"%1$s\"}]}".formatted("x".repeat(10_000)));

        assertThat(ended.statusAsString()).isEqualTo("FAILED");
        assertThat(ended.error()).isEqualTo("States.DataLimitExceeded");
        assertThat(ended.cause()).endsWith("The state/task 'Each' returned a result with a size exceeding the "
                + "maximum number of bytes service limit.");
    }

    @Test
    void mapIterationOverTheLimit_failsTheExecutionNamingTheIterationsState() throws Exception {
        var ended = run(create("""
                {"QueryLanguage":"JSONata","StartAt":"Each","States":{"Each":{"Type":"Map","Items":"{% [$states.input] %}",
                  "End":true,"ItemProcessor":{"StartAt":"Grow","States":{"Grow":{"Type":"Pass",
                    "Output":"{% $states.input.s & $states.input.s %}","End":true}}}}}}"""), HALF_OVER);

        assertThat(ended.statusAsString()).isEqualTo("FAILED");
        assertThat(ended.error()).isEqualTo("States.DataLimitExceeded");
        assertThat(ended.cause()).contains("'Grow'");
    }

    @Test
    void taskResultJustUnderTheLimit_passes() throws Exception {
        var ended = run(create("""
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"%s","ResultSelector":{"n.$":"States.ArrayLength(States.Array($.blob))"},
                  "End":true}}}""".formatted(BIG)), "{\"chars\":130000}");

        assertThat(ended.statusAsString()).isEqualTo("SUCCEEDED");
        assertThat(ended.output()).isEqualTo("{\"n\":1}");
    }

    private static String create(String definition) {
        return sfn.createStateMachine(b -> b.name("limits-" + UUID.randomUUID().toString().substring(0, 8))
                .definition(definition).roleArn(ROLE)).stateMachineArn();
    }

    private static software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse run(String machine, String input)
            throws InterruptedException {
        String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input(input)).executionArn();
        return awaitEnd(sfn, arn);
    }
}
