package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.StepFunctionsServerTest.ROLE;
import static com.orderflow.local.sfn.StepFunctionsServerTest.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;

/**
 * Execution and state machine names and ARNs refused as AWS refuses them, through the SDK: 1 to 80 characters, no
 * whitespace (Unicode's too), brackets, wildcards, the listed punctuation or control characters, other non-ASCII
 * letters allowed; InvalidName and InvalidArn with AWS's messages (an ARN that does not start as one says so).
 */
class NamesAndArnsTest {

    private static final String PASS = """
            {"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}""";
    /** Each character the Step Functions quotas page forbids, then whitespace beyond the ASCII space. */
    private static final String FORBIDDEN = " <>{}[]?*\"#%\\^|~`$&,;:/\t\n\u0000\u001f\u007f\u0085\u009f\u00a0\u2003\u3000";

    private static StepFunctionsServer server;
    private static SfnClient sfn;
    private static String machine;

    @BeforeAll
    static void start() {
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).build());
        sfn = SfnTestClients.sfn(server);
        machine = sfn.createStateMachine(b -> b.name(unique("names")).definition(PASS).roleArn(ROLE)).stateMachineArn();
    }

    @AfterAll
    static void stop() {
        sfn.close();
        server.close();
    }

    @Test
    void everyForbiddenCharacter_isInvalidName_forAnExecutionAndAStateMachine() {
        List<String> accepted = new ArrayList<>();
        for (char c : FORBIDDEN.toCharArray()) {
            String name = "order" + c + "1";
            expectInvalidName(name, b -> sfn.startExecution(r -> r.stateMachineArn(machine).name(name)), accepted);
            expectInvalidName(name, b -> sfn.createStateMachine(r -> r.name(name).definition(PASS).roleArn(ROLE)), accepted);
        }
        assertThat(accepted).as("names accepted that AWS refuses").isEmpty();
    }

    @Test
    void eightyCharactersAndNonAsciiLetters_areNames_eightyOneAreNot() throws Exception {
        String eighty = "o".repeat(72) + unique("").substring(1);
        assertThat(eighty).hasSize(80);
        var run = sfn.startExecution(b -> b.stateMachineArn(machine).name(eighty));
        assertThat(run.executionArn()).endsWith(":" + eighty);
        var accented = sfn.startExecution(b -> b.stateMachineArn(machine).name("commande-é-" + unique("x")));
        assertThat(SfnTestClients.awaitEnd(sfn, accented.executionArn()).status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(sfn.createStateMachine(b -> b.name("machine-" + "ü".repeat(72)).definition(PASS).roleArn(ROLE))
                .stateMachineArn()).endsWith(":machine-" + "ü".repeat(72));

        String eightyOne = "o".repeat(81);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).name(eightyOne)))
                .isInstanceOf(InvalidNameException.class).hasMessageContaining("Invalid Name: '" + eightyOne + "'");
        assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name(eightyOne).definition(PASS).roleArn(ROLE)))
                .isInstanceOf(InvalidNameException.class);
    }

    @Test
    void aValueThatIsNoArn_isInvalidArnWithAwsReason_onEveryOperationThatTakesOne() {
        List<Runnable> calls = List.of(
                () -> sfn.describeExecution(b -> b.executionArn("not_an_arn")),
                () -> sfn.getExecutionHistory(b -> b.executionArn("not_an_arn")),
                () -> sfn.stopExecution(b -> b.executionArn("not_an_arn")),
                () -> sfn.describeStateMachine(b -> b.stateMachineArn("not_an_arn")),
                () -> sfn.listExecutions(b -> b.stateMachineArn("not_an_arn")),
                () -> sfn.startExecution(b -> b.stateMachineArn("not_an_arn")),
                () -> sfn.describeStateMachineForExecution(b -> b.executionArn("not_an_arn")));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOf(InvalidArnException.class)
                    .hasMessageContaining("Invalid Arn: 'Invalid ARN prefix: not_an_arn'");
        }
    }

    @Test
    void anArnOfTheWrongShape_isInvalidArn() {
        for (String arn : List.of("arn:aws:states:us-east-1:000000000000:execution:only-one-name",
                "arn:aws:states:us-east-1:000000000000:stateMachine:" + "x:y:z",
                "arn:aws:states:us-east-1:12345:execution:m:e", "arn:aws:lambda:us-east-1:000000000000:execution:m:e")) {
            assertThatThrownBy(() -> sfn.describeExecution(b -> b.executionArn(arn))).as(arn)
                    .isInstanceOf(InvalidArnException.class).hasMessageContaining("Invalid Arn: '" + arn + "'");
        }
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn("arn:aws:states:us-east-1:1:nope")))
                .isInstanceOf(InvalidArnException.class);
    }

    private static void expectInvalidName(String name, Consumer<Void> call, List<String> accepted) {
        try {
            call.accept(null);
            accepted.add(escaped(name));
        } catch (InvalidNameException e) {
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Invalid Name: '" + name + "'");
        }
    }

    private static String escaped(String name) {
        StringBuilder out = new StringBuilder();
        name.chars().forEach(c -> out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return out.toString();
    }
}
