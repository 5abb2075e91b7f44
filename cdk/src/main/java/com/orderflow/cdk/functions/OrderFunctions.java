package com.orderflow.cdk.functions;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.orderflow.cdk.AppConfig;
import com.orderflow.cdk.api.ApiCors;
import com.orderflow.cdk.storage.OrderStorage;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.LoggingFormat;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.lambda.Tracing;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.Construct;

/**
 * Every Java Lambda function of orderflow, each with SnapStart on a published version behind the alias
 * {@code live}, its own log group and a role that can do only what its handler needs.
 */
public final class OrderFunctions extends Construct {

    public static final String ALIAS_NAME = "live";

    /** C1 JIT only: measurably faster first requests for short-lived handlers (the usual Lambda Java advice). */
    public static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    private final AppConfig config;
    private final Map<OrderFunction, Function> functions = new LinkedHashMap<>();
    private final Map<OrderFunction, Alias> aliases = new LinkedHashMap<>();
    private final Map<OrderFunction, Role> roles = new LinkedHashMap<>();

    public OrderFunctions(Construct scope, String id, AppConfig config, IBucket ordersBucket) {
        super(scope, id);
        this.config = config;
        if (!Files.isRegularFile(config.lambdaJar())) {
            throw new IllegalStateException("Lambda jar " + config.lambdaJar()
                    + " does not exist; build it first: mvn -pl functions install -DskipTests");
        }
        // one asset for all functions: the jar is uploaded once per content hash
        var code = Code.fromAsset(config.lambdaJar().toString());

        for (var function : OrderFunction.all()) {
            create(function, code, ordersBucket);
        }

        // PersistOrder writes new versions of orders/{orderId}.json and reads the current one's status first,
        // so that a repeated invocation (at-least-once) writes no second version of the same status
        roles.get(OrderFunction.PERSIST_ORDER).addToPolicy(PolicyStatement.Builder.create()
                .sid("WriteOrderRecords")
                .actions(List.of("s3:GetObject", "s3:PutObject"))
                .resources(List.of(ordersBucket.arnForObjects(OrderStorage.ORDERS_PREFIX + "*")))
                .build());
        // and moves the order's listing-index entry to its new status (put the new one, delete the old one)
        roles.get(OrderFunction.PERSIST_ORDER).addToPolicy(PolicyStatement.Builder.create()
                .sid("MoveOrderIndexEntries")
                .actions(List.of("s3:PutObject", "s3:DeleteObject"))
                .resources(List.of(ordersBucket.arnForObjects(OrderStorage.INDEX_PREFIX + "*")))
                .build());
        // the API reads order records and their version history
        var api = roles.get(OrderFunction.API);
        api.addToPolicy(PolicyStatement.Builder.create()
                .sid("ReadOrderRecords")
                .actions(List.of("s3:GetObject", "s3:GetObjectVersion"))
                .resources(List.of(ordersBucket.arnForObjects(OrderStorage.ORDERS_PREFIX + "*")))
                .build());
        api.addToPolicy(PolicyStatement.Builder.create()
                .sid("ListOrderRecords")
                .actions(List.of("s3:ListBucket", "s3:ListBucketVersions"))
                .resources(List.of(ordersBucket.getBucketArn()))
                .build());
        NagSuppressions.addResourceSuppressions(roles.get(OrderFunction.PERSIST_ORDER), List.of(orderObjectsWildcard()), true);
        NagSuppressions.addResourceSuppressions(api, List.of(orderObjectsWildcard()), true);
    }

    private void create(OrderFunction function, Code code, IBucket ordersBucket) {
        var name = config.resourceName(function.suffix());
        var logGroup = LogGroup.Builder.create(this, function.constructId() + "Logs")
                .logGroupName("/aws/lambda/" + name)
                .retention(config.isProduction() ? RetentionDays.THREE_MONTHS : RetentionDays.ONE_WEEK)
                .removalPolicy(config.isProduction() ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY)
                .build();
        // an explicit role instead of the default one: no AWSLambdaBasicExecutionRole managed policy with logs:* on every group
        var role = Role.Builder.create(this, function.constructId() + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Runs " + name + ": writes its own log group and X-Ray traces"
                        + (function == OrderFunction.PERSIST_ORDER ? ", puts order records" : "")
                        + (function == OrderFunction.API ? ", reads order records and starts/describes executions" : ""))
                .build();
        logGroup.grantWrite(role);

        var environment = new HashMap<String, String>();
        environment.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
        if (function == OrderFunction.PERSIST_ORDER || function == OrderFunction.API) {
            environment.put("ORDERS_BUCKET", ordersBucket.getBucketName());
        }
        if (function == OrderFunction.API) {
            // the function names the allowed origin on its answers; API Gateway's OPTIONS methods answer preflights
            var cors = ApiCors.of(config);
            if (cors.enabled()) {
                environment.put(ApiCors.ORIGINS_VARIABLE, cors.originsVariable());
            }
        }

        var builder = Function.Builder.create(this, function.constructId())
                .functionName(name)
                .description("orderflow " + config.stage() + ": " + function.handlerClass())
                .runtime(Runtime.JAVA_25)
                // Graviton: about 20% cheaper per GB-second; the jar is platform independent
                .architecture(Architecture.ARM_64)
                .handler(function.handlerClass())
                .code(code)
                .memorySize(function.memoryMb())
                .timeout(Duration.seconds(function.isWorkflowTask() ? 15 : 20))
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .tracing(Tracing.ACTIVE)
                .loggingFormat(LoggingFormat.JSON)
                .logGroup(logGroup)
                .role(role)
                .environment(environment);
        if (function == OrderFunction.API) {
            // each accepted POST starts a paid execution: a cap on concurrent API instances caps that spend,
            // and the reservation keeps workflow tasks from starving the API (and the API from starving them)
            builder.reservedConcurrentExecutions(config.abuseLimits().apiReservedConcurrency());
        }
        var lambda = builder.build();
        // SnapStart applies to published versions only, so everything invokes the alias, never $LATEST
        // the warning says SnapStart needs a published version: currentVersion + the alias below are exactly that
        Annotations.of(lambda).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "Published through currentVersion and invoked only through the alias " + ALIAS_NAME);
        var alias = Alias.Builder.create(this, function.constructId() + "Live")
                .aliasName(ALIAS_NAME)
                .version(lambda.getCurrentVersion())
                .description("The published SnapStart version that API Gateway and the state machine invoke")
                .build();

        NagSuppressions.addResourceSuppressions(role, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("X-Ray PutTraceSegments/PutTelemetryRecords do not support resource-level permissions; Resource * is the only form AWS accepts.")
                .appliesTo(List.of("Resource::*"))
                .build()), true);

        functions.put(function, lambda);
        aliases.put(function, alias);
        roles.put(function, role);
    }

    /** Lets the API start executions of {@code stateMachine} and describe those executions, and tells it the ARN. */
    public void connectApiTo(StateMachine stateMachine) {
        var api = OrderFunction.API;
        functions.get(api).addEnvironment("STATE_MACHINE_ARN", stateMachine.getStateMachineArn());
        var role = roles.get(api);
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("StartOrderWorkflow")
                .actions(List.of("states:StartExecution"))
                .resources(List.of(stateMachine.getStateMachineArn()))
                .build());
        var executions = Stack.of(this).formatArn(ArnComponents.builder()
                .service("states")
                .resource("execution")
                .resourceName(stateMachine.getStateMachineName() + ":*")
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
        role.addToPolicy(PolicyStatement.Builder.create()
                .sid("DescribeOrderExecutions")
                .actions(List.of("states:DescribeExecution"))
                .resources(List.of(executions))
                .build());
        NagSuppressions.addResourceSuppressions(role, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("Execution ARNs are <state machine>:<execution name> and the names are order ids created at run time; the wildcard covers executions of this one state machine only.")
                .appliesTo(List.of(RegexAppliesTo.builder()
                        .regex("/^Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<WorkflowStateMachine[0-9A-F]+\\.Name>:\\*$/")
                        .build()))
                .build()), true);
    }

    private static NagPackSuppression orderObjectsWildcard() {
        return NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("Order records are orders/{orderId}.json and their index entries order-index/{status}/{time}-{orderId},"
                        + " with ids minted at run time; each wildcard is confined to its prefix of the one orders bucket.")
                .appliesTo(List.of(RegexAppliesTo.builder()
                        .regex("/^Resource::<StorageOrders[0-9A-F]+\\.Arn>\\/(orders|order-index)\\/\\*$/")
                        .build()))
                .build();
    }

    public Function function(OrderFunction function) {
        return functions.get(function);
    }

    public Alias alias(OrderFunction function) {
        return aliases.get(function);
    }

    public Role role(OrderFunction function) {
        return roles.get(function);
    }

    public Map<OrderFunction, Function> functions() {
        return Map.copyOf(functions);
    }
}
