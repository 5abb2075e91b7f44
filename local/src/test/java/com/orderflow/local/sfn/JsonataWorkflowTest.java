package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.SfnTestClients.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderflow.local.lambda.LocalLambdaInvoker;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;

/** JSONata states, top level and per state, run through the Step Functions API with the real SDK. */
class JsonataWorkflowTest {

    private static final String ROLE = StepFunctionsServerTest.ROLE;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SHOUT = "arn:aws:lambda:us-east-1:000000000000:function:shout:live";

    private static StepFunctionsServer server;
    private static SfnClient sfn;

    @BeforeAll
    static void start() {
        var lambdas = LocalLambdaInvoker.builder()
                .function("shout", JsonNode.class, (input, context) -> {
                    if (input.path("fail").asBoolean()) {
                        throw new IllegalStateException("told to fail");
                    }
                    return MAPPER.createObjectNode().put("word", input.path("word").asText().toUpperCase());
                })
                .build();
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).taskInvoker(lambdas).build());
        sfn = SfnTestClients.sfn(server);
    }

    @AfterAll
    static void stop() {
        sfn.close();
        server.close();
    }

    /** A definition, its input, and the output it succeeds with. */
    static Stream<Arguments> succeeding() {
        return Stream.of(
                Arguments.of("Output reads $states.input and evaluates nested expressions", """
                        {"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass",
                         "Output":{"total":"{% $sum($states.input.items.(qty*price)) %}","static":"$not.evaluated",
                                   "list":["{% $states.input.items[0].sku %}", 2]},"End":true}}}""",
                        "{\"items\":[{\"sku\":\"A\",\"qty\":2,\"price\":9.5},{\"sku\":\"B\",\"qty\":1,\"price\":20}]}",
                        "{\"total\":39,\"static\":\"$not.evaluated\",\"list\":[\"A\",2]}"),
                Arguments.of("a Task's Arguments go to the function, $states.result feeds Output and Assign", """
                        {"QueryLanguage":"JSONata","StartAt":"T","States":{
                          "T":{"Type":"Task","Resource":"SHOUT_ARN","Arguments":{"word":"{% $states.input.name %}"},
                               "Assign":{"shouted":"{% $states.result.word %}"},
                               "Output":{"from":"{% $states.input.name %}","to":"{% $states.result.word %}"},"Next":"U"},
                          "U":{"Type":"Pass","Output":"{% $shouted & '!' %}","End":true}}}""".replace("SHOUT_ARN", SHOUT),
                        "{\"name\":\"ada\"}", "\"ADA!\""),
                Arguments.of("without Output a Task outputs its result", """
                        {"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"SHOUT_ARN",
                         "Arguments":{"word":"hi"},"End":true}}}""".replace("SHOUT_ARN", SHOUT), "{}", "{\"word\":\"HI\"}"),
                Arguments.of("Output does not see the variables its own state assigns", """
                        {"QueryLanguage":"JSONata","StartAt":"A","States":{
                          "A":{"Type":"Pass","Assign":{"n":1},"Next":"B"},
                          "B":{"Type":"Pass","Assign":{"n":"{% $n + 1 %}"},"Output":{"seen":"{% $n %}"},"Next":"C"},
                          "C":{"Type":"Pass","Output":{"before":"{% $states.input.seen %}","now":"{% $n %}"},"End":true}}}""",
                        "{}", "{\"before\":1,\"now\":2}"),
                Arguments.of("Choice Condition routes, and the matched rule's Output and Assign apply", """
                        {"QueryLanguage":"JSONata","StartAt":"C","States":{
                          "C":{"Type":"Choice","Choices":[
                                {"Condition":"{% $states.input.n > 10 %}","Next":"Big","Output":{"size":"big"},
                                 "Assign":{"why":"{% 'n=' & $states.input.n %}"}}],
                               "Default":"Small"},
                          "Big":{"Type":"Pass","Output":{"size":"{% $states.input.size %}","why":"{% $why %}"},"End":true},
                          "Small":{"Type":"Pass","Output":"small","End":true}}}""",
                        "{\"n\":42}", "{\"size\":\"big\",\"why\":\"n=42\"}"),
                Arguments.of("Map Items and ItemSelector read $states.context.Map.Item", """
                        {"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map",
                          "Items":"{% $states.input.words %}",
                          "ItemSelector":{"word":"{% $states.context.Map.Item.Value %}","i":"{% $states.context.Map.Item.Index %}"},
                          "ItemProcessor":{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"SHOUT_ARN",
                             "Output":"{% $states.result.word & $string($states.input.i) %}","End":true}}},
                          "Output":{"words":"{% $states.result %}"},"End":true}}}""".replace("SHOUT_ARN", SHOUT),
                        "{\"words\":[\"a\",\"b\"]}", "{\"words\":[\"A0\",\"B1\"]}"),
                Arguments.of("Parallel Arguments start every branch, Output combines the results", """
                        {"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Parallel",
                          "Arguments":{"x":"{% $states.input.x * 2 %}"},
                          "Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% $states.input.x + 1 %}","End":true}}},
                                      {"StartAt":"B","States":{"B":{"Type":"Pass","Output":"{% $states.input.x - 1 %}","End":true}}}],
                          "Output":"{% $sum($states.result) %}","End":true}}}""",
                        "{\"x\":5}", "20"),
                Arguments.of("a Catcher's Output and Assign read $states.errorOutput", """
                        {"QueryLanguage":"JSONata","StartAt":"T","States":{
                          "T":{"Type":"Task","Resource":"SHOUT_ARN","Arguments":{"fail":true},
                               "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handled",
                                 "Assign":{"caught":"{% $states.errorOutput.Error %}"},
                                 "Output":{"input":"{% $states.input.id %}","cause":"{% $states.errorOutput.Cause %}"}}],"End":true},
                          "Handled":{"Type":"Pass","Output":{"id":"{% $states.input.input %}","error":"{% $caught %}"},"End":true}}}"""
                                .replace("SHOUT_ARN", SHOUT),
                        "{\"id\":7}", "{\"id\":7,\"error\":\"java.lang.IllegalStateException\"}"),
                Arguments.of("a JSONata state in a JSONPath definition shares variables with JSONPath states", """
                        {"StartAt":"Set","States":{
                          "Set":{"Type":"Pass","Assign":{"who.$":"$.name"},"Next":"Use"},
                          "Use":{"Type":"Pass","QueryLanguage":"JSONata","Assign":{"greeting":"{% 'hi ' & $who %}"},"Next":"Back"},
                          "Back":{"Type":"Pass","Parameters":{"g.$":"$greeting"},"End":true}}}""",
                        "{\"name\":\"lin\"}", "{\"g\":\"hi lin\"}"),
                Arguments.of("the docs' JSONPath-to-JSONata conversion: JSONPath Parameters with a variable", """
                        {"StartAt":"Name","States":{
                          "Name":{"Type":"Pass","Assign":{"customerName":"María"},"Next":"Shape"},
                          "Shape":{"Type":"Pass","Parameters":{"static":"Hello","title.$":"$.title",
                            "name.$":"$customerName","not-evaluated":"$customerName"},"End":true}}}""",
                        "{\"title\":\"Doctor\"}",
                        "{\"static\":\"Hello\",\"title\":\"Doctor\",\"name\":\"María\",\"not-evaluated\":\"$customerName\"}"),
                Arguments.of("the docs' JSONPath-to-JSONata conversion: the same payload in JSONata", """
                        {"QueryLanguage":"JSONata","StartAt":"Name","States":{
                          "Name":{"Type":"Pass","Assign":{"customerName":"María"},"Next":"Shape"},
                          "Shape":{"Type":"Pass","Output":{"static":"Hello","title":"{% $states.input.title %}",
                            "name":"{% $customerName %}","not-evaluated":"$customerName"},"End":true}}}""",
                        "{\"title\":\"Doctor\"}",
                        "{\"static\":\"Hello\",\"title\":\"Doctor\",\"name\":\"María\",\"not-evaluated\":\"$customerName\"}"),
                Arguments.of("the docs' $partition and $range examples", """
                        {"QueryLanguage":"JSONata","StartAt":"F","States":{"F":{"Type":"Pass","Output":{
                          "arrayPartition":"{% $partition([1, 2, 3, 4, 5, 6, 7, 8, 9], 3) %}",
                          "evenNumbers":"{% $range(0, 10, 2) %}","down":"{% $range(10, 0, -5) %}"},"End":true}}}""",
                        "{}", "{\"arrayPartition\":[[1,2,3],[4,5,6],[7,8,9]],\"evenNumbers\":[0,2,4,6,8,10],\"down\":[10,5,0]}"),
                Arguments.of("the functions AWS adds", """
                        {"QueryLanguage":"JSONata","StartAt":"F","States":{"F":{"Type":"Pass","Output":{
                          "partition":"{% $partition([1,2,3,4,5], 2) %}","range":"{% $range(0, 10, 5) %}",
                          "hash":"{% $hash('input data', 'SHA-256') %}","seeded":"{% $random(7) = $random(7) %}",
                          "uuid":"{% $length($uuid()) %}","parse":"{% $parse('{\\"a\\":[1]}').a[0] %}"},"End":true}}}""",
                        "{}", """
                        {"partition":[[1,2],[3,4],[5]],"range":[0,5,10],
                         "hash":"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3","seeded":true,"uuid":36,"parse":1}"""),
                Arguments.of("plain paths read fields; through an array they map over it, as JSONata does", """
                        {"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":{
                          "id":"{% $states.input.order.id %}","none":"{% $states.input.order.note %}",
                          "skus":"{% $states.input.order.items.sku %}","items":"{% $states.input.order.items %}"},"End":true}}}""",
                        "{\"order\":{\"id\":\"o-1\",\"note\":null,\"items\":[{\"sku\":\"A\"},{\"sku\":\"B\"}]}}",
                        "{\"id\":\"o-1\",\"none\":null,\"skus\":[\"A\",\"B\"],\"items\":[{\"sku\":\"A\"},{\"sku\":\"B\"}]}"),
                Arguments.of("$states.context names the execution and the state", """
                        {"QueryLanguage":"JSONata","StartAt":"Here","States":{"Here":{"Type":"Pass",
                          "Output":{"state":"{% $states.context.State.Name %}","input":"{% $states.context.Execution.Input.k %}"},"End":true}}}""",
                        "{\"k\":\"v\"}", "{\"state\":\"Here\",\"input\":\"v\"}"),
                Arguments.of("Wait Seconds and Fail-free Succeed Output are expressions", """
                        {"QueryLanguage":"JSONata","StartAt":"W","States":{
                          "W":{"Type":"Wait","Seconds":"{% $states.input.s %}","Next":"S"},
                          "S":{"Type":"Succeed","Output":{"done":"{% $states.input.s = 0 %}"}}}}""",
                        "{\"s\":0}", "{\"done\":true}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("succeeding")
    void jsonataDefinition_succeedsWithItsDocumentedOutput(String what, String definition, String input, String output)
            throws Exception {
        var run = run(definition, input);

        assertThat(run.status()).as(what + ": " + run.cause()).isEqualTo("SUCCEEDED");
        assertThat(MAPPER.readTree(run.output())).isEqualTo(MAPPER.readTree(output));
    }

    /** A definition, its input, and the error and cause it fails with. */
    static Stream<Arguments> failing() {
        return Stream.of(
                Arguments.of("an expression that yields nothing", """
                        {"QueryLanguage":"JSONata","StartAt":"State0","States":{"State0":{"Type":"Pass",
                          "Output":{"result":"{% $doesNotExist %}"},"End":true}}}""", "{}",
                        "States.QueryEvaluationError", "An error occurred while executing the state 'State0' (entered at "
                                + "the event id #2). The JSONata expression '$doesNotExist' specified for the field "
                                + "'Output/result' returned nothing (undefined)."),
                Arguments.of("an expression that throws", """
                        {"QueryLanguage":"JSONata","StartAt":"State0","States":{"State0":{"Type":"Pass",
                          "Output":"{% $nope(1) %}","End":true}}}""", "{}",
                        "States.QueryEvaluationError", "An error occurred while executing the state 'State0' (entered at "
                                + "the event id #2). The JSONata expression '$nope(1)' specified for the field "
                                + "'Output' threw an error during evaluation. T1006: Attempted to invoke a non-function"),
                Arguments.of("Items that is not an array", """
                        {"QueryLanguage":"JSONata","StartAt":"MapIterateState","States":{"MapIterateState":{"Type":"Map",
                          "Items":"{% 1 %}","ItemProcessor":{"StartAt":"S","States":{"S":{"Type":"Pass","End":true}}},
                          "End":true}}}""", "{}",
                        "States.QueryEvaluationError", "An error occurred while executing the state 'MapIterateState' "
                                + "(entered at the event id #2). The JSONata expression '1' specified for the field "
                                + "'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 1"),
                Arguments.of("a Fail state's Error and Cause expressions", """
                        {"QueryLanguage":"JSONata","StartAt":"F","States":{"F":{"Type":"Fail",
                          "Error":"{% 'Order.' & $states.input.why %}","Cause":"{% 'order ' & $states.input.id %}"}}}""",
                        "{\"why\":\"Rejected\",\"id\":\"o-1\"}", "Order.Rejected", "order o-1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failing")
    void jsonataDefinition_failsAsAwsFails(String what, String definition, String input, String error, String cause)
            throws Exception {
        var run = run(definition, input);

        assertThat(run.status()).as(what).isEqualTo("FAILED");
        assertThat(run.error()).isEqualTo(error);
        assertThat(run.cause()).isEqualTo(cause);
    }

    @Test
    void queryEvaluationError_isCaughtByACatcher() throws Exception {
        var run = run("""
                {"QueryLanguage":"JSONata","StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"SHOUT_ARN","Arguments":{"word":"{% $missing %}"},
                       "Catch":[{"ErrorEquals":["States.QueryEvaluationError"],"Next":"Handled"}],"End":true},
                  "Handled":{"Type":"Pass","Output":"{% $states.input.Error %}","End":true}}}""".replace("SHOUT_ARN", SHOUT), "{}");

        assertThat(run.status()).isEqualTo("SUCCEEDED");
        assertThat(run.output()).isEqualTo("\"States.QueryEvaluationError\"");
        var history = sfn.getExecutionHistory(b -> b.executionArn(run.arn())).events();
        assertThat(history).extracting(e -> e.typeAsString()).containsExactly("ExecutionStarted", "TaskStateEntered",
                "EvaluationFailed", "TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded");
        var failed = history.get(2).evaluationFailedEventDetails();
        assertThat(failed.error()).isEqualTo("States.QueryEvaluationError");
        assertThat(failed.location()).isEqualTo("Arguments/word");
        assertThat(failed.state()).isEqualTo("T");
        assertThat(failed.cause()).endsWith("The JSONata expression '$missing' specified for the field 'Arguments/word' "
                + "returned nothing (undefined).");
    }

    @Test
    void mapMaxConcurrencyExpression_isEvaluatedWhenTheMapRuns_andMustBeANonNegativeInteger() throws Exception {
        String map = """
                {"QueryLanguage":"JSONata","StartAt":"Each","States":{"Each":{"Type":"Map","Items":"{% $states.input.items %}",
                  "MaxConcurrency":"MAX","ItemProcessor":{"StartAt":"S","States":{"S":{"Type":"Pass",
                  "Output":"{% $states.input * 2 %}","End":true}}},"End":true}}}""";

        var limited = run(map.replace("MAX", "{% $count($states.input.items) - 2 %}"), "{\"items\":[1,2,3]}");
        var refused = run(map.replace("MAX", "{% 'two' %}"), "{\"items\":[1,2,3]}");

        assertThat(limited.status()).isEqualTo("SUCCEEDED");
        assertThat(limited.output()).isEqualTo("[2,4,6]");
        assertThat(refused.status()).isEqualTo("FAILED");
        assertThat(refused.error()).isEqualTo("States.QueryEvaluationError");
        assertThat(refused.cause()).contains("'MaxConcurrency'").contains("Expected 'integer', but was 'string'");
    }

    @Test
    void assignedVariables_areRecordedInTheStateExitedEvent() throws Exception {
        var run = run("""
                {"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass",
                  "Assign":{"total":"{% 1 + 2 %}"},"End":true}}}""", "{}");

        var exited = sfn.getExecutionHistory(b -> b.executionArn(run.arn())).events().stream()
                .filter(e -> e.type() == HistoryEventType.PASS_STATE_EXITED).findFirst().orElseThrow();
        assertThat(exited.stateExitedEventDetails().assignedVariables()).containsEntry("total", "3");
    }

    /** A definition and the diagnostic CreateStateMachine refuses it with. */
    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("""
                        {"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"a":1},"End":true}}}""",
                        "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'Parameters' is only "
                                + "supported for the 'JSONPath' QueryLanguage at /States/P"),
                Arguments.of("""
                        {"StartAt":"P","States":{"P":{"Type":"Pass","Output":{"a":1},"End":true}}}""",
                        "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONPath', but field 'Output' is only "
                                + "supported for the 'JSONata' QueryLanguage at /States/P"),
                Arguments.of("""
                        {"QueryLanguage":"JSONata","StartAt":"Pass","States":{"Pass":{"Type":"Pass","QueryLanguage":"JSONPath","End":true}}}""",
                        "SCHEMA_VALIDATION_FAILED: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole "
                                + "state machine at /States/Pass"),
                Arguments.of("""
                        {"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":1},"End":true}}}""",
                        "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'Result' is only "
                                + "supported for the 'JSONPath' QueryLanguage at /States/P"),
                Arguments.of("""
                        {"QueryLanguage":"JSONata","StartAt":"Main","States":{"Main":{"Type":"Pass","Output":"{% 1 + %}","End":true}}}""",
                        "INVALID_JSONATA_EXPRESSION: "),
                Arguments.of("""
                        {"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"SHOUT_ARN",
                          "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.e","Next":"T"}],"End":true}}}""".replace("SHOUT_ARN", SHOUT),
                        "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'ResultPath' is only "
                                + "supported for the 'JSONPath' QueryLanguage at /States/T/Catch/0"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void mixedOrBrokenDefinition_isRefusedWithAwsDiagnostic(String definition, String diagnostic) {
        assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name(unique("refused")).definition(definition).roleArn(ROLE)))
                .isInstanceOf(InvalidDefinitionException.class)
                .hasMessageContaining(diagnostic);
    }

    private record Run(String arn, String status, String output, String error, String cause) {
    }

    private static Run run(String definition, String input) throws InterruptedException {
        String machine = sfn.createStateMachine(b -> b.name(unique("jsonata")).definition(definition).roleArn(ROLE))
                .stateMachineArn();
        String arn = sfn.startExecution(b -> b.stateMachineArn(machine).input(input)).executionArn();
        var ended = awaitEnd(sfn, arn);
        return new Run(arn, ended.statusAsString(), ended.output(), ended.error(), ended.cause());
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
