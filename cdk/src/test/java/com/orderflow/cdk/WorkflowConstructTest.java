package com.orderflow.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderflow.cdk.functions.OrderFunction;

/** The Standard state machine: the ASL file unchanged, every Task on a live alias, logs and traces on. */
class WorkflowConstructTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{(\\w+)}$");

    private static SynthesizedStack synth;
    private static JsonNode machine;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.dev();
        var ids = synth.logicalIds("AWS::StepFunctions::StateMachine");
        assertThat(ids).hasSize(1);
        machine = synth.resource(ids.getFirst()).path("Properties");
    }

    @Test
    void stateMachine_isStandard_namedForTheStage() {
        assertThat(machine.path("StateMachineType").asText()).isEqualTo("STANDARD");
        assertThat(machine.path("StateMachineName").asText()).isEqualTo("orderflow-dev-order-workflow");
    }

    @Test
    void definition_isTheAslFileUnchanged() throws IOException {
        var file = Files.readString(SynthesizedStack.stateMachineFile());

        assertThat(machine.path("DefinitionString").asText()).isEqualTo(file);
    }

    @Test
    void everyTaskState_invokesTheLiveAliasOfItsFunction() throws IOException {
        var definition = new ObjectMapper().readTree(machine.path("DefinitionString").asText());
        var substitutions = machine.path("DefinitionSubstitutions");
        var tasks = new ArrayList<JsonNode>();
        collectTasks(definition.path("States"), tasks);

        assertThat(tasks).isNotEmpty();
        var used = new TreeSet<String>();
        for (var task : tasks) {
            var placeholder = placeholderOf(task);
            used.add(placeholder);
            var aliasId = SynthesizedStack.referencedId(substitutions.path(placeholder));
            assertThat(aliasId).as("substitution of %s", placeholder).isNotNull();
            assertThat(synth.typeOf(aliasId)).as("what %s resolves to", placeholder).isEqualTo("AWS::Lambda::Alias");
            assertThat(synth.resource(aliasId).at("/Properties/Name").asText()).isEqualTo("live");
        }
        assertThat(used).containsExactlyInAnyOrderElementsOf(placeholders());
    }

    @Test
    void substitutions_mapEachOfTheSevenPlaceholdersToTheMatchingFunctionsAlias() {
        var substitutions = machine.path("DefinitionSubstitutions");
        var names = new TreeSet<String>();
        substitutions.fieldNames().forEachRemaining(names::add);

        assertThat(names).containsExactlyInAnyOrderElementsOf(placeholders());
        for (var task : OrderFunction.workflowTasks()) {
            var alias = synth.resource(SynthesizedStack.referencedId(substitutions.path(task.aslPlaceholder())));
            var functionId = SynthesizedStack.referencedId(alias.at("/Properties/FunctionName"));
            assertThat(synth.resource(functionId).at("/Properties/FunctionName").asText())
                    .isEqualTo("orderflow-dev-" + task.suffix());
        }
    }

    @Test
    void role_mayInvokeExactlyTheSevenAliases_andNothingElseInLambda() {
        var roleId = SynthesizedStack.referencedId(machine.path("RoleArn"));
        var invokes = synth.statementsOfRole(roleId).stream()
                .filter(s -> s.path("Action").toString().contains("lambda:"))
                .toList();

        assertThat(invokes).hasSize(1);
        assertThat(invokes.getFirst().path("Action").asText()).isEqualTo("lambda:InvokeFunction");
        var targets = new TreeSet<String>();
        invokes.getFirst().path("Resource").forEach(r -> targets.add(synth.typeOf(SynthesizedStack.referencedId(r)) + " " + r));
        assertThat(targets).hasSize(OrderFunction.workflowTasks().size())
                .allMatch(t -> t.startsWith("AWS::Lambda::Alias "));
    }

    @Test
    void executions_logEverythingWithExecutionData_andAreTraced() {
        assertThat(machine.at("/LoggingConfiguration/Level").asText()).isEqualTo("ALL");
        assertThat(machine.at("/LoggingConfiguration/IncludeExecutionData").asBoolean()).isTrue();
        var logGroupId = SynthesizedStack.referencedId(
                machine.at("/LoggingConfiguration/Destinations/0/CloudWatchLogsLogGroup/LogGroupArn"));
        assertThat(synth.resource(logGroupId).at("/Properties/LogGroupName").asText())
                .isEqualTo("/aws/vendedlogs/states/orderflow-dev-order-workflow");
        assertThat(machine.at("/TracingConfiguration/Enabled").asBoolean()).isTrue();
    }

    /** Task states anywhere: top level, Parallel branches, Map item processors. */
    private static void collectTasks(JsonNode states, List<JsonNode> tasks) {
        states.forEach(state -> {
            switch (state.path("Type").asText()) {
                case "Task" -> tasks.add(state);
                case "Parallel" -> state.path("Branches").forEach(b -> collectTasks(b.path("States"), tasks));
                case "Map" -> {
                    collectTasks(state.at("/ItemProcessor/States"), tasks);
                    collectTasks(state.at("/Iterator/States"), tasks);
                }
                default -> { }
            }
        });
    }

    /** The placeholder a Task calls: its Resource, or FunctionName of the lambda:invoke integration. */
    private static String placeholderOf(JsonNode task) {
        var resource = task.path("Resource").asText();
        var target = resource.startsWith("arn:aws:states:::lambda:invoke")
                ? firstNonMissing(task.at("/Parameters/FunctionName"), task.at("/Arguments/FunctionName")).asText()
                : resource;
        var matcher = PLACEHOLDER.matcher(target);
        assertThat(matcher.matches()).as("Task %s calls %s", task, target).isTrue();
        return matcher.group(1);
    }

    private static JsonNode firstNonMissing(JsonNode a, JsonNode b) {
        return a.isMissingNode() ? b : a;
    }

    private static Set<String> placeholders() {
        var names = new TreeSet<String>();
        OrderFunction.workflowTasks().forEach(f -> names.add(f.aslPlaceholder()));
        return names;
    }
}
