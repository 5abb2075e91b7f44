package com.orderflow.cdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.catalog.FunctionCatalog;
import com.orderflow.cdk.functions.OrderFunction;

/** Every Lambda function: runtime, SnapStart, alias, logs, environment and least-privilege role. */
class FunctionsConstructTest {

    private static SynthesizedStack synth;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.dev();
    }

    @Test
    void everyFunction_runsJava25WithSnapStartOnPublishedVersions() {
        var functions = synth.resources("AWS::Lambda::Function");

        assertThat(functions).hasSize(OrderFunction.all().size());
        for (var function : functions) {
            var props = function.path("Properties");
            assertThat(props.path("Runtime").asText()).as(props.path("FunctionName").asText()).isEqualTo("java25");
            assertThat(props.at("/SnapStart/ApplyOn").asText()).as(props.path("FunctionName").asText()).isEqualTo("PublishedVersions");
            assertThat(props.at("/TracingConfig/Mode").asText()).isEqualTo("Active");
            assertThat(props.at("/Architectures/0").asText()).isEqualTo("arm64");
        }
    }

    @Test
    void functionNamesAndHandlers_followTheAgreedContract() {
        // the catalog itself, not the app's reading of it: what the app deploys is what the catalog lists
        var expected = new TreeSet<String>();
        for (var function : FunctionCatalog.all()) {
            expected.add("orderflow-dev-" + function.name() + " -> " + function.handler());
        }
        var actual = new TreeSet<String>();
        for (var function : synth.resources("AWS::Lambda::Function")) {
            actual.add(function.at("/Properties/FunctionName").asText() + " -> " + function.at("/Properties/Handler").asText());
        }

        assertThat(actual).containsExactlyElementsOf(expected);
        assertThat(actual).contains("orderflow-dev-api -> com.orderflow.api.ApiHandler",
                "orderflow-dev-persist-order -> com.orderflow.workflow.persist.PersistOrderHandler");
    }

    @Test
    void everyFunction_hasAliasLive_onItsPublishedVersion() {
        for (var functionId : synth.logicalIds("AWS::Lambda::Function")) {
            var aliases = synth.resources("AWS::Lambda::Alias").stream()
                    .filter(a -> functionId.equals(SynthesizedStack.referencedId(a.at("/Properties/FunctionName"))))
                    .toList();
            assertThat(aliases).as("aliases of %s", functionId).hasSize(1);
            var alias = aliases.getFirst().path("Properties");
            assertThat(alias.path("Name").asText()).isEqualTo("live");

            var versionId = SynthesizedStack.referencedId(alias.path("FunctionVersion"));
            assertThat(synth.typeOf(versionId)).isEqualTo("AWS::Lambda::Version");
            assertThat(SynthesizedStack.referencedId(synth.resource(versionId).at("/Properties/FunctionName"))).isEqualTo(functionId);
        }
    }

    @Test
    void memoryTimeoutAndJvmOptions_matchTheFunctionsRole() {
        for (var function : synth.resources("AWS::Lambda::Function")) {
            var props = function.path("Properties");
            var api = props.path("FunctionName").asText().equals("orderflow-dev-api");
            assertThat(props.path("MemorySize").asInt()).isEqualTo(api ? 1024 : 512);
            assertThat(props.path("Timeout").asInt()).isBetween(5, 29);
            assertThat(props.at("/Environment/Variables/JAVA_TOOL_OPTIONS").asText()).contains("-XX:TieredStopAtLevel=1");
        }
    }

    @Test
    void onlyTheApiFunction_hasReservedConcurrency_whichCapsWhatPostsCanStart() {
        for (var function : synth.resources("AWS::Lambda::Function")) {
            var props = function.path("Properties");
            var api = props.path("FunctionName").asText().equals("orderflow-dev-api");
            assertThat(props.path("ReservedConcurrentExecutions").asInt(0)).as(props.path("FunctionName").asText())
                    .isEqualTo(api ? 10 : 0);
        }
        assertThat(SynthesizedStack.prod().resources("AWS::Lambda::Function").stream()
                .mapToInt(f -> f.at("/Properties/ReservedConcurrentExecutions").asInt(0)).sum()).isEqualTo(50);
    }

    @Test
    void everyFunction_logsToItsOwnLogGroupWithRetention() {
        for (var function : synth.resources("AWS::Lambda::Function")) {
            var props = function.path("Properties");
            var logGroupId = SynthesizedStack.referencedId(props.at("/LoggingConfig/LogGroup"));
            var logGroup = synth.resource(logGroupId).path("Properties");
            assertThat(logGroup.path("LogGroupName").asText()).isEqualTo("/aws/lambda/" + props.path("FunctionName").asText());
            assertThat(logGroup.path("RetentionInDays").asInt()).isEqualTo(7);
        }
    }

    @Test
    void apiFunction_knowsTheBucketAndTheStateMachine_persistOnlyTheBucket() {
        var api = function("orderflow-dev-api").at("/Properties/Environment/Variables");
        var persist = function("orderflow-dev-persist-order").at("/Properties/Environment/Variables");
        var validate = function("orderflow-dev-validate-order").at("/Properties/Environment/Variables");
        var bucketId = synth.logicalId("AWS::S3::Bucket", "StorageOrders");
        var machineId = synth.logicalIds("AWS::StepFunctions::StateMachine").getFirst();

        assertThat(SynthesizedStack.referencedId(api.path("ORDERS_BUCKET"))).isEqualTo(bucketId);
        assertThat(SynthesizedStack.referencedId(api.path("STATE_MACHINE_ARN"))).isEqualTo(machineId);
        assertThat(SynthesizedStack.referencedId(persist.path("ORDERS_BUCKET"))).isEqualTo(bucketId);
        assertThat(validate.has("ORDERS_BUCKET")).isFalse();
        assertThat(validate.has("STATE_MACHINE_ARN")).isFalse();
    }

    @Test
    void persistOrderRole_mayOnlyGetAndPutRecords_andPutAndDeleteIndexEntries_besidesLogsAndTraces() {
        var statements = statementsOf("orderflow-dev-persist-order");

        assertThat(actionsOf(statements)).containsExactlyInAnyOrder(
                "logs:CreateLogStream", "logs:PutLogEvents", "xray:PutTraceSegments", "xray:PutTelemetryRecords",
                "s3:GetObject", "s3:PutObject", "s3:DeleteObject");
        var records = statements.stream().filter(s -> s.path("Action").toString().contains("s3:GetObject")).findFirst().orElseThrow();
        assertThat(records.at("/Resource/Fn::Join/1/1").asText()).isEqualTo("/orders/*");
        assertThat(SynthesizedStack.referencedId(records.at("/Resource/Fn::Join/1/0")))
                .isEqualTo(synth.logicalId("AWS::S3::Bucket", "StorageOrders"));
        var index = statements.stream().filter(s -> s.path("Action").toString().contains("s3:DeleteObject")).findFirst().orElseThrow();
        assertThat(index.at("/Resource/Fn::Join/1/1").asText()).isEqualTo("/order-index/*");
        assertThat(index.path("Action").toString()).doesNotContain("GetObject");
    }

    @Test
    void apiRole_readsOrdersAndStartsAndDescribesExecutionsOfTheOneStateMachine() {
        var statements = statementsOf("orderflow-dev-api");
        var machineId = synth.logicalIds("AWS::StepFunctions::StateMachine").getFirst();

        assertThat(actionsOf(statements)).containsExactlyInAnyOrder(
                "logs:CreateLogStream", "logs:PutLogEvents", "xray:PutTraceSegments", "xray:PutTelemetryRecords",
                "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket", "s3:ListBucketVersions",
                "states:StartExecution", "states:DescribeExecution");
        var start = statements.stream().filter(s -> s.path("Action").asText().equals("states:StartExecution")).findFirst().orElseThrow();
        assertThat(SynthesizedStack.referencedId(start.path("Resource"))).isEqualTo(machineId);
        var describe = statements.stream().filter(s -> s.path("Action").asText().equals("states:DescribeExecution")).findFirst().orElseThrow();
        assertThat(describe.path("Resource").toString()).contains(":execution:").contains(machineId).endsWith("\":*\"]]}");
    }

    @Test
    void workflowFunctionsOtherThanPersist_mayOnlyWriteLogsAndTraces() {
        for (var function : OrderFunction.workflowTasks()) {
            if (function == OrderFunction.PERSIST_ORDER) {
                continue;
            }
            var statements = statementsOf("orderflow-dev-" + function.suffix());
            assertThat(actionsOf(statements)).as(function.suffix()).containsExactlyInAnyOrder(
                    "logs:CreateLogStream", "logs:PutLogEvents", "xray:PutTraceSegments", "xray:PutTelemetryRecords");
            var logs = statements.stream().filter(s -> s.toString().contains("logs:PutLogEvents")).findFirst().orElseThrow();
            assertThat(synth.typeOf(SynthesizedStack.referencedId(logs.path("Resource")))).isEqualTo("AWS::Logs::LogGroup");
        }
    }

    @Test
    void functionRoles_carryNoManagedPolicies() {
        for (var function : synth.resources("AWS::Lambda::Function")) {
            var roleId = SynthesizedStack.referencedId(function.at("/Properties/Role"));
            assertThat(synth.resource(roleId).at("/Properties/ManagedPolicyArns").isMissingNode()).isTrue();
        }
    }

    @Test
    void missingLambdaJar_failsWithAHintToBuildTheFunctionsModule(@TempDir Path dir) {
        var config = AppConfig.forStage("dev", SynthesizedStack.projectRoot())
                .withLambdaJar(dir.resolve("absent.jar"))
                .withStateMachineFile(SynthesizedStack.stateMachineFile())
                .withOutdir(dir.resolve("cdk.out"));

        assertThatThrownBy(() -> OrderflowApp.build(config))
                .hasStackTraceContaining("absent.jar")
                .hasStackTraceContaining("mvn -pl functions install");
    }

    private static JsonNode function(String name) {
        return synth.resources("AWS::Lambda::Function").stream()
                .filter(f -> f.at("/Properties/FunctionName").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no function " + name));
    }

    private static List<JsonNode> statementsOf(String functionName) {
        var roleId = SynthesizedStack.referencedId(function(functionName).at("/Properties/Role"));
        return synth.statementsOfRole(roleId);
    }

    private static Set<String> actionsOf(List<JsonNode> statements) {
        var actions = new HashSet<String>();
        for (var statement : statements) {
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            var action = statement.path("Action");
            if (action.isArray()) {
                action.forEach(a -> actions.add(a.asText()));
            } else {
                actions.add(action.asText());
            }
        }
        return actions;
    }
}
