package com.orderflow.local.sfn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.orderflow.json.Json;
import com.orderflow.local.engine.TaskContext;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.sfn.MockConfig.MockedOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MockConfigTest {

    static final String CONFIG = """
            {
              "StateMachines": {
                "LambdaSQSIntegration": {
                  "TestCases": {
                    "RetryPath": {"LambdaState": "MockedLambdaRetry"},
                    "HappyPath": {"LambdaState": "MockedLambdaSuccess"}
                  }
                }
              },
              "MockedResponses": {
                "MockedLambdaSuccess": {"0": {"Return": {"StatusCode": 200, "Payload": {"body": "hi"}}}},
                "MockedLambdaRetry": {
                  "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "Lambda resource is not ready."}},
                  "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "Lambda timed out."}},
                  "3": {"Return": {"StatusCode": 200, "Payload": {"body": "late"}}}
                }
              }
            }""";

    static TaskContext context(String state) {
        return new TaskContext("arn:aws:states:us-east-1:000000000000:execution:sm:e", "e",
                "arn:aws:states:us-east-1:000000000000:stateMachine:sm", state, 0, null);
    }

    @Test
    void responses_areChosenByInvocationIndexAndRange_andTheLastRepeats() {
        var retry = MockConfig.parse(CONFIG).testCase("LambdaSQSIntegration", "RetryPath").orElseThrow()
                .byState().get("LambdaState");

        assertThat(retry.at(0)).isEqualTo(new MockedOutcome.Throw("Lambda.ResourceNotReadyException",
                "Lambda resource is not ready."));
        assertThat(retry.at(1)).isEqualTo(retry.at(2))
                .isEqualTo(new MockedOutcome.Throw("Lambda.TimeoutException", "Lambda timed out."));
        assertThat(retry.at(3)).isInstanceOf(MockedOutcome.Return.class);
        assertThat(retry.at(9)).isEqualTo(retry.at(3));
    }

    @Test
    void unknownMachineOrCase_hasNoTestCase() {
        var config = MockConfig.parse(CONFIG);

        assertThat(config.testCase("LambdaSQSIntegration", "Nope")).isEmpty();
        assertThat(config.testCase("Other", "HappyPath")).isEmpty();
    }

    @Test
    void mockingInvoker_countsInvocationsPerState_andRunsUnmockedStatesForReal() throws Exception {
        var testCase = MockConfig.parse(CONFIG).testCase("LambdaSQSIntegration", "RetryPath").orElseThrow();
        var realCalls = new AtomicInteger();
        var invoker = new MockingTaskInvoker((resource, input, ctx) -> {
            realCalls.incrementAndGet();
            return input;
        }, testCase);
        var input = Json.mapper().readTree("{\"x\":1}");

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> invoker.invoke("arn:aws:states:::lambda:invoke", input, context("LambdaState")))
                    .isInstanceOf(TaskFailedException.class);
        }
        var fourth = invoker.invoke("arn:aws:states:::lambda:invoke", input, context("LambdaState"));
        var other = invoker.invoke("arn:aws:states:::lambda:invoke", input, context("SQSState"));

        assertThat(fourth.at("/Payload/body").asText()).isEqualTo("late");
        assertThat(other).isEqualTo(input);
        assertThat(realCalls).hasValue(1);
    }

    @Test
    void read_loadsAFile(@TempDir Path dir) throws Exception {
        var file = Files.writeString(dir.resolve("MockConfigFile.json"), CONFIG);

        assertThat(MockConfig.read(file).testCase("LambdaSQSIntegration", "HappyPath")).isPresent();
    }

    @Test
    void mistakes_failWhenTheFileIsRead() {
        assertThatThrownBy(() -> MockConfig.parse("[]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> MockConfig.parse("{\"StateMachines\":{}}")).hasMessageContaining("MockedResponses");
        assertThatThrownBy(() -> MockConfig.parse("""
                {"StateMachines":{"sm":{"TestCases":{"c":{"S":"Missing"}}}},"MockedResponses":{}}"""))
                .hasMessageContaining("unknown mocked response 'Missing'");
        assertThatThrownBy(() -> MockConfig.parse("""
                {"StateMachines":{},"MockedResponses":{"R":{"0":{"Return":1,"Throw":{"Error":"E"}}}}}"""))
                .hasMessageContaining("exactly one of Return or Throw");
        assertThatThrownBy(() -> MockConfig.parse("""
                {"StateMachines":{},"MockedResponses":{"R":{"0":{"Return":1},"2":{"Return":2}}}}"""))
                .hasMessageContaining("invocation 1 has no response");
        assertThatThrownBy(() -> MockConfig.parse("""
                {"StateMachines":{},"MockedResponses":{"R":{"0-2":{"Return":1},"1":{"Return":2}}}}"""))
                .hasMessageContaining("defined twice");
        assertThatThrownBy(() -> MockConfig.parse("""
                {"StateMachines":{},"MockedResponses":{"R":{"first":{"Return":1}}}}"""))
                .hasMessageContaining("not an invocation index");
        assertThatThrownBy(() -> MockConfig.parse("""
                {"StateMachines":{},"MockedResponses":{"R":{"0":{"Throw":{"Cause":"no error"}}}}}"""))
                .hasMessageContaining("string Error");
    }
}
