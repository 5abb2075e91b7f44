package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.StepFunctionsServerTest.PASS;
import static com.orderflow.local.sfn.StepFunctionsServerTest.ROLE;
import static com.orderflow.local.sfn.StepFunctionsServerTest.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.model.Tag;
import software.amazon.awssdk.services.sfn.model.TooManyTagsException;

/** Tags on state machines, and GetExecutionHistory reversed and paged at once, through the SDK. */
class TagsTest {

    static StepFunctionsServer server;
    static SfnClient sfn;

    @BeforeAll
    static void start() {
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).build());
        sfn = SfnTestClients.sfn(server);
    }

    @AfterAll
    static void stop() {
        sfn.close();
        server.close();
    }

    @Test
    void tagsGivenAtCreate_areAddedToOverwrittenAndRemoved() {
        var arn = sfn.createStateMachine(b -> b.name(unique("tags")).definition(PASS).roleArn(ROLE)
                .tags(tag("team", "orders"), tag("stage", "dev"))).stateMachineArn();

        sfn.tagResource(b -> b.resourceArn(arn).tags(tag("stage", "local"), tag("owner", "ada")));
        sfn.untagResource(b -> b.resourceArn(arn).tagKeys("team", "not-there"));

        assertThat(sfn.listTagsForResource(b -> b.resourceArn(arn)).tags())
                .containsExactlyInAnyOrder(tag("stage", "local"), tag("owner", "ada"));
    }

    @Test
    void anUnknownResource_isResourceNotFound_andFiftyOneTagsAreTooMany() {
        var arn = sfn.createStateMachine(b -> b.name(unique("limit")).definition(PASS).roleArn(ROLE)).stateMachineArn();
        var many = IntStream.range(0, 51).mapToObj(i -> tag("k" + i, "v")).toList();

        assertThatThrownBy(() -> sfn.listTagsForResource(b -> b.resourceArn(arn + "-missing")))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> sfn.tagResource(b -> b.resourceArn(arn).tags(many)))
                .isInstanceOf(TooManyTagsException.class);
        assertThat(sfn.listTagsForResource(b -> b.resourceArn(arn)).tags()).isEmpty();
    }

    @Test
    void aDeletedAndRecreatedStateMachine_hasNoneOfTheOldTags() {
        var name = unique("again");
        var arn = sfn.createStateMachine(b -> b.name(name).definition(PASS).roleArn(ROLE).tags(tag("old", "yes")))
                .stateMachineArn();

        sfn.deleteStateMachine(b -> b.stateMachineArn(arn));
        sfn.createStateMachine(b -> b.name(name).definition(PASS).roleArn(ROLE));

        assertThat(sfn.listTagsForResource(b -> b.resourceArn(arn)).tags()).isEmpty();
    }

    @Test
    void getExecutionHistory_reversedAndPaged_givesEveryEventNewestFirst() throws Exception {
        var smArn = sfn.createStateMachine(b -> b.name(unique("hist")).definition(PASS).roleArn(ROLE)).stateMachineArn();
        var arn = sfn.startExecution(b -> b.stateMachineArn(smArn).input("{\"name\":\"ada\"}")).executionArn();
        SfnTestClients.awaitEnd(sfn, arn);

        var firstPage = sfn.getExecutionHistory(b -> b.executionArn(arn).reverseOrder(true).maxResults(2));
        var all = sfn.getExecutionHistoryPaginator(b -> b.executionArn(arn).reverseOrder(true).maxResults(2))
                .events().stream().map(HistoryEvent::id).toList();

        assertThat(firstPage.events()).hasSize(2);
        assertThat(firstPage.nextToken()).isNotNull();
        assertThat(all).hasSizeGreaterThan(2).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(all.getLast()).isEqualTo(1L);
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
