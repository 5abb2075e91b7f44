package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.SfnTestClients.awaitEnd;
import static com.orderflow.local.sfn.StepFunctionsServerTest.ROLE;
import static com.orderflow.local.sfn.StepFunctionsServerTest.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.orderflow.local.store.EventLog;
import com.orderflow.local.store.WorkflowStore;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ConflictException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.model.RoutingConfigurationListItem;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineVersionListItem;

/** Versions and aliases through the SDK, on a durable store that is closed and opened again. */
class VersionsAndAliasesTest {

    static final String V1 = """
            {"StartAt":"Say","States":{"Say":{"Type":"Pass","Result":"one","End":true}}}""";
    static final String V2 = """
            {"StartAt":"Say","States":{"Say":{"Type":"Pass","Result":"two","End":true}}}""";

    @TempDir
    Path dir;
    WorkflowStore store;
    StepFunctionsServer server;
    SfnClient sfn;

    @BeforeEach
    void start() throws Exception {
        open();
    }

    private void open() throws Exception {
        store = WorkflowStore.open(dir, EventLog.Options.defaults());
        server = StepFunctionsServer.start(StepFunctionsConfig.builder().port(0).store(store).build());
        sfn = SfnTestClients.sfn(server);
    }

    @AfterEach
    void stop() {
        sfn.close();
        server.close();
        store.close();
    }

    private void restart() throws Exception {
        stop();
        open();
    }

    private String output(String stateMachineArn) throws Exception {
        var run = sfn.startExecution(b -> b.stateMachineArn(stateMachineArn));
        return awaitEnd(sfn, run.executionArn()).output();
    }

    @Test
    void createWithPublish_thenUpdateWithPublish_keepsEachVersionRunningWhatItPublished() throws Exception {
        var created = sfn.createStateMachine(b -> b.name(unique("ver")).definition(V1).roleArn(ROLE)
                .publish(true).versionDescription("first"));
        var arn = created.stateMachineArn();
        var updated = sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(V2).publish(true)
                .versionDescription("second"));

        assertThat(created.stateMachineVersionArn()).isEqualTo(arn + ":1");
        assertThat(updated.stateMachineVersionArn()).isEqualTo(arn + ":2");
        assertThat(updated.revisionId()).isNotBlank();
        assertThat(output(arn + ":1")).isEqualTo("\"one\"");
        assertThat(output(arn + ":2")).isEqualTo("\"two\"");
        assertThat(output(arn)).isEqualTo("\"two\"");
        var first = sfn.describeStateMachine(b -> b.stateMachineArn(arn + ":1"));
        assertThat(first.definition()).isEqualTo(V1);
        assertThat(first.description()).isEqualTo("first");
        assertThat(first.stateMachineArn()).isEqualTo(arn + ":1");
        assertThat(sfn.listStateMachineVersions(b -> b.stateMachineArn(arn)).stateMachineVersions())
                .extracting(StateMachineVersionListItem::stateMachineVersionArn).containsExactly(arn + ":2", arn + ":1");
    }

    @Test
    void publish_isIdempotentForAnUnchangedRevision_andRefusesAStaleRevisionId() {
        var arn = sfn.createStateMachine(b -> b.name(unique("pub")).definition(V1).roleArn(ROLE)).stateMachineArn();
        var revision = sfn.describeStateMachine(b -> b.stateMachineArn(arn)).revisionId();

        var once = sfn.publishStateMachineVersion(b -> b.stateMachineArn(arn).revisionId(revision));
        var twice = sfn.publishStateMachineVersion(b -> b.stateMachineArn(arn));
        sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(V2));

        assertThat(once.stateMachineVersionArn()).isEqualTo(arn + ":1");
        assertThat(twice.stateMachineVersionArn()).isEqualTo(once.stateMachineVersionArn());
        assertThatThrownBy(() -> sfn.publishStateMachineVersion(b -> b.stateMachineArn(arn).revisionId(revision)))
                .isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(V1)
                .versionDescription("no publish")))
                .isInstanceOfSatisfying(SfnException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
    }

    @Test
    void startByVersionOrAlias_isShownByDescribeAndListExecutions_asAwsShowsIt() throws Exception {
        var arn = sfn.createStateMachine(b -> b.name(unique("run")).definition(V1).roleArn(ROLE).publish(true))
                .stateMachineArn();
        var alias = sfn.createStateMachineAlias(b -> b.name("PROD").description("live")
                .routingConfiguration(route(arn + ":1", 100))).stateMachineAliasArn();

        var byVersion = sfn.startExecution(b -> b.stateMachineArn(arn + ":1")).executionArn();
        var byAlias = sfn.startExecution(b -> b.stateMachineArn(alias)).executionArn();
        var plain = sfn.startExecution(b -> b.stateMachineArn(arn)).executionArn();
        var versionRun = awaitEnd(sfn, byVersion);
        var aliasRun = awaitEnd(sfn, byAlias);
        var plainRun = awaitEnd(sfn, plain);

        assertThat(alias).isEqualTo(arn + ":PROD");
        assertThat(versionRun.stateMachineArn()).isEqualTo(arn);
        assertThat(versionRun.stateMachineVersionArn()).isEqualTo(arn + ":1");
        assertThat(versionRun.stateMachineAliasArn()).isNull();
        assertThat(aliasRun.stateMachineVersionArn()).isEqualTo(arn + ":1");
        assertThat(aliasRun.stateMachineAliasArn()).isEqualTo(alias);
        assertThat(plainRun.stateMachineVersionArn()).isNull();
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(arn + ":1")).executions())
                .extracting(ExecutionListItem::executionArn).containsExactlyInAnyOrder(byVersion, byAlias);
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(alias)).executions())
                .extracting(ExecutionListItem::executionArn).containsExactly(byAlias);
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(arn)).executions()).hasSize(3);
        assertThat(sfn.describeStateMachineForExecution(b -> b.executionArn(byAlias)).definition()).isEqualTo(V1);
    }

    @Test
    void anAliasSplitsByWeight_andCanBeDescribedListedUpdatedAndDeleted() throws Exception {
        var arn = sfn.createStateMachine(b -> b.name(unique("split")).definition(V1).roleArn(ROLE).publish(true))
                .stateMachineArn();
        sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(V2).publish(true));
        var alias = sfn.createStateMachineAlias(b -> b.name("canary")
                .routingConfiguration(route(arn + ":1", 50), route(arn + ":2", 50))).stateMachineAliasArn();

        var outputs = new HashSet<String>();
        for (int i = 0; i < 40 && outputs.size() < 2; i++) {
            outputs.add(output(alias));
        }
        sfn.updateStateMachineAlias(b -> b.stateMachineAliasArn(alias).routingConfiguration(route(arn + ":2", 100)));
        var described = sfn.describeStateMachineAlias(b -> b.stateMachineAliasArn(alias));

        assertThat(outputs).containsExactlyInAnyOrder("\"one\"", "\"two\"");
        assertThat(described.name()).isEqualTo("canary");
        assertThat(described.routingConfiguration()).containsExactly(route(arn + ":2", 100));
        assertThat(described.updateDate()).isAfterOrEqualTo(described.creationDate());
        assertThat(output(alias)).isEqualTo("\"two\"");
        assertThat(sfn.listStateMachineAliases(b -> b.stateMachineArn(arn)).stateMachineAliases()).hasSize(1);
        assertThatThrownBy(() -> sfn.createStateMachineAlias(b -> b.name("bad")
                .routingConfiguration(route(arn + ":1", 60), route(arn + ":2", 30))))
                .isInstanceOfSatisfying(SfnException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));

        sfn.deleteStateMachineAlias(b -> b.stateMachineAliasArn(alias));

        assertThatThrownBy(() -> sfn.describeStateMachineAlias(b -> b.stateMachineAliasArn(alias)))
                .isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(alias)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void aVersionAnAliasUses_cannotBeDeleted_untilTheAliasIsGone() {
        var arn = sfn.createStateMachine(b -> b.name(unique("del")).definition(V1).roleArn(ROLE).publish(true))
                .stateMachineArn();
        var alias = sfn.createStateMachineAlias(b -> b.name("live").routingConfiguration(route(arn + ":1", 100)))
                .stateMachineAliasArn();

        assertThatThrownBy(() -> sfn.deleteStateMachineVersion(b -> b.stateMachineVersionArn(arn + ":1")))
                .isInstanceOf(ConflictException.class).hasMessageContaining(alias);
        sfn.deleteStateMachineAlias(b -> b.stateMachineAliasArn(alias));
        sfn.deleteStateMachineVersion(b -> b.stateMachineVersionArn(arn + ":1"));
        var republished = sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(V2).publish(true));

        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(arn + ":1")))
                .isInstanceOf(StateMachineDoesNotExistException.class);
        // a number is never given twice, as on AWS
        assertThat(republished.stateMachineVersionArn()).isEqualTo(arn + ":2");
    }

    @Test
    void versionsAndAliases_surviveARestart_andStillRunWhatWasPublished() throws Exception {
        var arn = sfn.createStateMachine(b -> b.name(unique("dur")).definition(V1).roleArn(ROLE).publish(true))
                .stateMachineArn();
        sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(V2));
        var alias = sfn.createStateMachineAlias(b -> b.name("stable").routingConfiguration(route(arn + ":1", 100)))
                .stateMachineAliasArn();
        sfn.tagResource(b -> b.resourceArn(arn).tags(t -> t.key("team").value("orders")));

        restart();

        assertThat(sfn.listStateMachineVersions(b -> b.stateMachineArn(arn)).stateMachineVersions())
                .extracting(StateMachineVersionListItem::stateMachineVersionArn).containsExactly(arn + ":1");
        assertThat(output(alias)).isEqualTo("\"one\"");
        assertThat(output(arn)).isEqualTo("\"two\"");
        assertThat(sfn.listTagsForResource(b -> b.resourceArn(arn)).tags())
                .singleElement().satisfies(t -> assertThat(t.value()).isEqualTo("orders"));
        assertThat(sfn.publishStateMachineVersion(b -> b.stateMachineArn(arn)).stateMachineVersionArn())
                .isEqualTo(arn + ":2");
    }

    @Test
    void deletingTheStateMachine_takesItsVersionsAndAliasesWithIt() {
        var name = unique("gone");
        var arn = sfn.createStateMachine(b -> b.name(name).definition(V1).roleArn(ROLE).publish(true))
                .stateMachineArn();
        sfn.createStateMachineAlias(b -> b.name("live").routingConfiguration(route(arn + ":1", 100)));

        sfn.deleteStateMachine(b -> b.stateMachineArn(arn));
        var again = sfn.createStateMachine(b -> b.name(name).definition(V2).roleArn(ROLE)).stateMachineArn();

        assertThat(sfn.listStateMachineVersions(b -> b.stateMachineArn(again)).stateMachineVersions()).isEmpty();
        assertThat(sfn.listStateMachineAliases(b -> b.stateMachineArn(again)).stateMachineAliases()).isEmpty();
    }

    private static RoutingConfigurationListItem route(String versionArn, int weight) {
        return RoutingConfigurationListItem.builder().stateMachineVersionArn(versionArn).weight(weight).build();
    }

}
