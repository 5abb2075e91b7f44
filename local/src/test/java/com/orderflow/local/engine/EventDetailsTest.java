package com.orderflow.local.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderflow.local.engine.EventDetails.MapIteration.Stage;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The compact details forms read as the very trees GetExecutionHistory returned when the engine built trees. */
class EventDetailsTest {

    @Test
    void eachForm_readsAsItsAwsShapedTree_withFieldsInAwsOrder() {
        assertThat(new EventDetails.StateEntered("Prepare", "{\"id\":1}").tree().toString()).isEqualTo(
                "{\"stateEnteredEventDetails\":{\"name\":\"Prepare\",\"input\":\"{\\\"id\\\":1}\","
                        + "\"inputDetails\":{\"truncated\":false}}}");
        assertThat(new EventDetails.StateExited("Tag", "\"done\"").tree().toString()).isEqualTo(
                "{\"stateExitedEventDetails\":{\"name\":\"Tag\",\"output\":\"\\\"done\\\"\","
                        + "\"outputDetails\":{\"truncated\":false}}}");
        assertThat(new EventDetails.ExecutionStarted("{}", "arn:role").tree().toString()).isEqualTo(
                "{\"executionStartedEventDetails\":{\"input\":\"{}\",\"inputDetails\":{\"truncated\":false},"
                        + "\"roleArn\":\"arn:role\"}}");
        assertThat(new EventDetails.ExecutionStarted("{}", null).tree().toString()).isEqualTo(
                "{\"executionStartedEventDetails\":{\"input\":\"{}\",\"inputDetails\":{\"truncated\":false}}}");
        assertThat(new EventDetails.ExecutionSucceeded("1").tree().toString()).isEqualTo(
                "{\"executionSucceededEventDetails\":{\"output\":\"1\",\"outputDetails\":{\"truncated\":false}}}");
        assertThat(new EventDetails.LambdaScheduled("arn:f", "{}", 5).tree().toString()).isEqualTo(
                "{\"lambdaFunctionScheduledEventDetails\":{\"resource\":\"arn:f\",\"input\":\"{}\","
                        + "\"inputDetails\":{\"truncated\":false},\"timeoutInSeconds\":5}}");
        assertThat(new EventDetails.LambdaScheduled("arn:f", "{}", null).tree().toString()).isEqualTo(
                "{\"lambdaFunctionScheduledEventDetails\":{\"resource\":\"arn:f\",\"input\":\"{}\","
                        + "\"inputDetails\":{\"truncated\":false}}}");
        assertThat(new EventDetails.LambdaSucceeded("{}").tree().toString()).isEqualTo(
                "{\"lambdaFunctionSucceededEventDetails\":{\"output\":\"{}\",\"outputDetails\":{\"truncated\":false}}}");
        assertThat(new EventDetails.MapStarted(3).tree().toString())
                .isEqualTo("{\"mapStateStartedEventDetails\":{\"length\":3}}");
        assertThat(new EventDetails.MapIteration(Stage.SUCCEEDED, "Each", 2).tree().toString())
                .isEqualTo("{\"mapIterationSucceededEventDetails\":{\"name\":\"Each\",\"index\":2}}");
        assertThat(EventDetails.NONE.tree().toString()).isEqualTo("{}");
    }

    @Test
    void aReaderThatChangesItsTree_changesNoOtherReadersTree() {
        var event = HistoryEvent.of(2, 1, Instant.EPOCH, "PassStateEntered", new EventDetails.StateEntered("A", "{}"));

        event.details().putObject("stateEnteredEventDetails").put("name", "changed");

        assertThat(event.details().path("stateEnteredEventDetails").path("name").asText()).isEqualTo("A");
    }

    @Test
    void anEventInItsCompactForm_equalsTheSameEventAsATree() {
        var compact = HistoryEvent.of(7, 6, Instant.EPOCH, "ExecutionSucceeded", new EventDetails.ExecutionSucceeded("1"));
        var tree = new HistoryEvent(7, 6, Instant.EPOCH, "ExecutionSucceeded", compact.details());

        assertThat(compact).isEqualTo(tree).hasSameHashCodeAs(tree);
        assertThat(compact).isNotEqualTo(HistoryEvent.of(7, 6, Instant.EPOCH, "ExecutionSucceeded",
                new EventDetails.ExecutionSucceeded("2")));
    }
}
