package com.orderflow.local.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.model.RoutingConfigurationListItem;
import software.amazon.awssdk.services.sfn.model.StateMachineVersionListItem;

/** A version, an alias and a tag, once answered, outlive a SIGKILL of the engine's process. */
class VersionsAfterKillTest {

    private static final String ROLE = "arn:aws:iam::000000000000:role/r";
    private static final String V1 = """
            {"StartAt":"Say","States":{"Say":{"Type":"Pass","Result":"one","End":true}}}""";
    private static final String V2 = """
            {"StartAt":"Say","States":{"Say":{"Type":"Pass","Result":"two","End":true}}}""";

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void sigkillAfterPublishAliasAndTag_keepsThemAll() throws Exception {
        // given a version, an alias to it, a later unpublished update and a tag, each answered
        var first = ChildEngine.start(dir.resolve("store"), dir);
        child = first.process();
        String arn;
        try (var sfn = first.client(false)) {
            var created = sfn.createStateMachine(b -> b.name("kept").definition(V1).roleArn(ROLE).publish(true));
            arn = created.stateMachineArn();
            sfn.createStateMachineAlias(b -> b.name("stable").routingConfiguration(RoutingConfigurationListItem
                    .builder().stateMachineVersionArn(created.stateMachineVersionArn()).weight(100).build()));
            sfn.updateStateMachine(b -> b.stateMachineArn(created.stateMachineArn()).definition(V2));
            sfn.tagResource(b -> b.resourceArn(created.stateMachineArn()).tags(t -> t.key("team").value("orders")));
        }

        // when the process is killed outright and started again on the same store
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        assertThat(child.exitValue()).isEqualTo(137);
        var second = ChildEngine.start(dir.resolve("store"), dir);
        child = second.process();

        // then all of it is there, and the alias still runs what version 1 published
        try (var sfn = second.client(false)) {
            var machine = arn;
            assertThat(sfn.listStateMachineVersions(b -> b.stateMachineArn(machine)).stateMachineVersions())
                    .extracting(StateMachineVersionListItem::stateMachineVersionArn).containsExactly(arn + ":1");
            assertThat(sfn.listTagsForResource(b -> b.resourceArn(machine)).tags()).hasSize(1);
            var run = sfn.startExecution(b -> b.stateMachineArn(machine + ":stable")).executionArn();
            String output = null;
            for (int i = 0; i < 300 && output == null; i++) {
                output = sfn.describeExecution(b -> b.executionArn(run)).output();
                Thread.sleep(20);
            }
            assertThat(output).isEqualTo("\"one\"");
            assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(machine)).definition()).isEqualTo(V2);
        }
    }
}
