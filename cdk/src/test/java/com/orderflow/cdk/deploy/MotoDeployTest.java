package com.orderflow.cdk.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderflow.cdk.AppConfig;
import com.orderflow.cdk.OrderflowApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * The real orderflow app through the real deployer against moto's server, an implementation of CloudFormation
 * and S3 not written here: bootstrap, deploy, read back, diff and update a changed Lambda, destroy.
 */
class MotoDeployTest {

    static final String REGION = "eu-west-1";
    static final String STACK = "orderflow-dev";
    static final Pattern CHANGE_ROW = Pattern.compile("^\\s+(Add|Modify|Remove)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s*$");
    static final ObjectMapper JSON = new ObjectMapper();
    /** Types moto creates but lists without a physical id (CloudFormation gives each one). */
    static final Set<String> NO_PHYSICAL_ID_IN_MOTO =
            Set.of("AWS::Lambda::Version", "AWS::ApiGateway::Method", "AWS::ApiGateway::Deployment");

    @TempDir
    Path work;

    @Test
    void orderflowApp_bootstrapDeployDiffUpdateDestroy_againstMoto() throws Exception {
        MotoServer.requireAvailable();
        var root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
        try (var moto = MotoServer.start(root.resolve("cdk/target/moto"));
             var aws = new Clients(moto.endpoint())) {
            var app = new MotoApp(root);
            var bucket = AssetsBucket.nameFor(aws.account(), REGION);

            // bootstrap: TLS-only over plain http is refused before anything exists; the printed opt-out deploys the
            // toolkit stack, whose outputs name the bucket
            assertThatThrownBy(() -> run(Target.BOOTSTRAP, app, moto, true))
                    .isInstanceOf(DeployException.class)
                    .hasMessageContaining("is plain http").hasMessageContaining("-Dorderflow.assets.tlsOnly=false");
            assertThat(aws.s3.listBuckets().buckets()).isEmpty();
            assertThat(aws.cfn.listStacks().stackSummaries()).isEmpty();
            var bootstrap = run(Target.BOOTSTRAP, app, moto, false);
            assertThat(bootstrap).contains("policy: none. WARNING: -Dorderflow.assets.tlsOnly=false",
                    "Toolkit stack " + ToolkitStack.NAME + " CREATE_COMPLETE", "Bootstrapped: bucket " + bucket);
            assertThat(aws.stackStatus(ToolkitStack.NAME)).isEqualTo(StackStatus.CREATE_COMPLETE);
            var toolkitOutputs = new LinkedHashMap<String, String>();
            aws.cfn.describeStacks(b -> b.stackName(ToolkitStack.NAME)).stacks().getFirst().outputs()
                    .forEach(o -> toolkitOutputs.put(o.outputKey(), o.outputValue()));
            assertThat(toolkitOutputs).containsEntry("AssetsBucketName", bucket)
                    .containsEntry("ToolkitVersion", String.valueOf(ToolkitTemplate.VERSION));
            assertThat(aws.resources(ToolkitStack.NAME).get("AssetsBucket").physicalResourceId()).isEqualTo(bucket);
            aws.s3.headBucket(b -> b.bucket(bucket));
            assertThat(aws.s3.getBucketEncryption(b -> b.bucket(bucket)).serverSideEncryptionConfiguration().rules())
                    .singleElement().satisfies(r -> assertThat(r.applyServerSideEncryptionByDefault().sseAlgorithmAsString()).isEqualTo("AES256"));
            // moto's AWS::S3::Bucket ignores these (DeployerMotoTest proves it, ToolkitTemplateTest checks them on the template)
            System.out.println("moto ignores these toolkit bucket properties: " + DeployerMotoTest.BUCKET_PROPERTIES_MOTO_IGNORES);
            assertThatThrownBy(() -> aws.s3.getBucketPolicy(b -> b.bucket(bucket)))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
            assertThat(run(Target.BOOTSTRAP, app, moto, false)).contains("no changes: stack " + ToolkitStack.NAME + " is up to date");
            assertThat(aws.stackStatus(ToolkitStack.NAME)).isEqualTo(StackStatus.CREATE_COMPLETE);

            // first deploy: the jar and the oversized template are uploaded, the stack is created
            var jarV1 = app.jar(writeJar(work.resolve("v1/orderflow-lambda.jar"), "v1"));
            var first = run(Target.DEPLOY, app, moto, true);
            var template = app.deployed();
            System.out.println("moto cannot model, so the test deploys the template without them: "
                    + template.removedTypes() + " (" + template.removed().size() + " resources)");
            assertThat(first).contains("Assets bucket " + bucket + " (output of toolkit stack " + ToolkitStack.NAME + ")",
                    "Stack " + STACK + " CREATE_COMPLETE", "Outputs:");
            assertThat(aws.stackStatus()).isEqualTo(StackStatus.CREATE_COMPLETE);
            var objects = aws.objects(bucket);
            assertThat(objects.keySet()).filteredOn(k -> k.endsWith(".jar")).singleElement()
                    .satisfies(k -> assertThat(aws.bytes(bucket, k)).isEqualTo(Files.readAllBytes(jarV1)));
            assertThat(objects.keySet()).filteredOn(k -> k.startsWith("templates/" + STACK + "-")).singleElement()
                    .satisfies(k -> assertThat(JSON.readTree(aws.bytes(bucket, k))).isEqualTo(template.template()));

            // every resource moto models exists, created; nothing else is in the stack
            var created = aws.resources();
            assertThat(created.keySet()).containsExactlyInAnyOrderElementsOf(fieldNames(template.template().get("Resources")));
            assertThat(created.values()).allSatisfy(r -> {
                assertThat(r.resourceStatusAsString()).isEqualTo("CREATE_COMPLETE");
                if (NO_PHYSICAL_ID_IN_MOTO.contains(r.resourceType())) {
                    assertThat(r.physicalResourceId()).as(r.logicalResourceId()).isNull();
                } else {
                    assertThat(r.physicalResourceId()).as(r.logicalResourceId()).isNotBlank();
                }
            });

            // outputs: printed, written, and what the template says they are
            var outputs = JSON.readTree(work.resolve("cdk-outputs-" + "dev.json").toFile()).path(STACK);
            assertThat(fieldNames(outputs)).containsExactlyInAnyOrderElementsOf(fieldNames(template.template().get("Outputs")));
            var stateMachineArn = outputs.path("StateMachineArn").asText();
            assertThat(stateMachineArn).isEqualTo(physicalId(created, "AWS::StepFunctions::StateMachine"));
            assertThat(aws.sfn.describeStateMachine(b -> b.stateMachineArn(stateMachineArn)).name())
                    .isEqualTo("orderflow-dev-order-workflow");
            var ordersBucket = outputs.path("OrdersBucketName").asText();
            assertThat(ordersBucket).isEqualTo(created.get(logicalIdOf(template, "StorageOrders")).physicalResourceId());
            aws.s3.headBucket(b -> b.bucket(ordersBucket));
            assertThat(outputs.path("ApiUrl").asText()).isEqualTo("https://" + physicalId(created, "AWS::ApiGateway::RestApi")
                    + ".execute-api." + REGION + ".amazonaws.com/dev/");
            assertThat(first).contains("ApiUrl = " + outputs.path("ApiUrl").asText());

            // a changed Lambda: diff shows what a deploy would change, and the deploy changes just that
            var jarV2 = app.jar(writeJar(work.resolve("v2/orderflow-lambda.jar"), "v2"));
            var diff = run(Target.DIFF, app, moto, true);
            var changes = changeRows(diff);
            System.out.println("diff after changing the Lambda jar: " + changes);
            assertThat(changes).isNotEmpty();
            assertThat(new TreeSet<>(changes.values())).containsExactlyInAnyOrder("AWS::Lambda::Function", "AWS::Lambda::Version");
            var functions = created.values().stream().filter(r -> r.resourceType().equals("AWS::Lambda::Function"))
                    .map(StackResource::logicalResourceId).toList();
            assertThat(changes).containsKeys(functions.toArray(String[]::new));
            assertThat(aws.stackStatus()).as("a diff changes nothing").isEqualTo(StackStatus.CREATE_COMPLETE);

            var second = run(Target.DEPLOY, app, moto, true);
            assertThat(second).contains("1 uploaded", "Stack " + STACK + " UPDATE_COMPLETE");
            assertThat(aws.stackStatus()).isEqualTo(StackStatus.UPDATE_COMPLETE);
            var updated = aws.resources();
            created.forEach((logicalId, before) -> {
                if (!changes.containsKey(logicalId)) {
                    assertThat(updated.get(logicalId)).as(logicalId + " did not change").isNotNull()
                            .extracting(StackResource::physicalResourceId).isEqualTo(before.physicalResourceId());
                }
            });
            var newKey = aws.objects(bucket).keySet().stream()
                    .filter(k -> k.endsWith(".jar") && !objects.containsKey(k)).findFirst().orElseThrow();
            assertThat(aws.bytes(bucket, newKey)).isEqualTo(Files.readAllBytes(jarV2));
            var deployedTemplate = JSON.readTree(aws.cfn.getTemplate(b -> b.stackName(STACK)).templateBody());
            assertThat(functions).allSatisfy(id -> assertThat(deployedTemplate.path("Resources").path(id)
                    .path("Properties").path("Code").path("S3Key").asText()).isEqualTo(newKey));

            // destroy leaves no stack of the stage, and the toolkit stack as it was
            var destroy = run(Target.DESTROY, app, moto, true);
            assertThat(destroy).contains("Stack " + STACK + " deleted.");
            var retained = Template.parse(template.json()).retained();
            assertThat(retained).as("dev keeps only the API's CloudWatch role (CDK's default)")
                    .extracting(Template.Resource::type).containsExactly("AWS::IAM::Role");
            retained.forEach(r -> assertThat(destroy).contains("  " + r.logicalId() + " (" + r.type() + ") "
                    + created.get(r.logicalId()).physicalResourceId()));
            assertThatThrownBy(() -> aws.cfn.describeStacks(b -> b.stackName(STACK)))
                    .isInstanceOf(CloudFormationException.class).hasMessageContaining("does not exist");
            assertThat(aws.cfn.listStacks().stackSummaries()).filteredOn(s -> !s.stackName().equals(ToolkitStack.NAME))
                    .allSatisfy(s -> assertThat(s.stackStatus()).isEqualTo(StackStatus.DELETE_COMPLETE));
            assertThat(destroy).contains("Toolkit stack " + ToolkitStack.NAME + " (the assets bucket) is left in place");
            assertThat(aws.stackStatus(ToolkitStack.NAME)).isEqualTo(StackStatus.CREATE_COMPLETE);
            System.out.print(bootstrap + first + diff + second + destroy);
        }
    }

    private String run(Target target, CloudAssemblySource app, MotoServer moto, boolean tlsOnly) {
        var output = new ByteArrayOutputStream();
        var config = DeployerConfig.builder("dev")
                .assemblyDir(work.resolve("cdk.out"))
                .outputsDir(work)
                .source(app)
                .credentials(Clients.CREDENTIALS, null)
                .region(() -> Region.of(REGION))
                .endpoint(moto.endpoint())
                .pollInterval(Duration.ofMillis(200))
                .tlsOnlyAssets(tlsOnly)
                .yes(true)
                .out(new PrintStream(output, true, StandardCharsets.UTF_8))
                .build();
        try {
            new Deployer(config).run(target);
        } finally {
            System.out.print(output.toString(StandardCharsets.UTF_8));
        }
        return output.toString(StandardCharsets.UTF_8);
    }

    /** Change rows of a diff: logical id to type. */
    static Map<String, String> changeRows(String diff) {
        var rows = new LinkedHashMap<String, String>();
        diff.lines().map(CHANGE_ROW::matcher).filter(java.util.regex.Matcher::matches)
                .forEach(m -> rows.put(m.group(2), m.group(3)));
        return rows;
    }

    static Set<String> fieldNames(JsonNode node) {
        var names = new TreeSet<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static String physicalId(Map<String, StackResource> resources, String type) {
        return resources.values().stream().filter(r -> r.resourceType().equals(type)).map(StackResource::physicalResourceId)
                .reduce((a, b) -> { throw new AssertionError("more than one " + type); }).orElseThrow();
    }

    static String logicalIdOf(MotoTemplate template, String prefix) {
        return fieldNames(template.template().get("Resources")).stream().filter(id -> id.startsWith(prefix))
                .findFirst().orElseThrow();
    }

    static Path writeJar(Path jar, String version) throws IOException {
        Files.createDirectories(jar.getParent());
        try (var zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("version.txt"));
            zip.write(version.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return jar;
    }

    /** The orderflow app synthesized in-process around a given jar, its template cut to what moto models. */
    static final class MotoApp implements CloudAssemblySource {
        private final Path root;
        private Path jar;
        private MotoTemplate deployed;

        MotoApp(Path root) {
            this.root = root;
        }

        /** Uses {@code lambdaJar} from the next synthesis on; returns it. */
        Path jar(Path lambdaJar) {
            this.jar = lambdaJar;
            return lambdaJar;
        }

        @Override
        public String synthesize(String stage, Path outdir) {
            var config = AppConfig.forStage(stage, root).withLambdaJar(jar).withOutdir(outdir.toAbsolutePath());
            OrderflowApp.build(config).synth();
            var file = outdir.resolve(config.stackName() + ".template.json");
            try {
                deployed = MotoTemplate.of(Files.readString(file));
                Files.writeString(file, deployed.json());
                // kept beside moto's log, for reading a failed run
                Files.copy(file, root.resolve("cdk/target/moto/" + file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return config.stackName();
        }

        MotoTemplate deployed() {
            return deployed;
        }
    }

    /** SDK clients on moto, for reading back what the deployer did. */
    static final class Clients implements AutoCloseable {
        static final StaticCredentialsProvider CREDENTIALS =
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDMOTO", "moto-secret"));
        final CloudFormationClient cfn;
        final S3Client s3;
        final SfnClient sfn;

        Clients(URI endpoint) {
            var region = Region.of(REGION);
            cfn = CloudFormationClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(region)
                    .credentialsProvider(CREDENTIALS).endpointOverride(endpoint).build();
            s3 = S3Client.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(region)
                    .credentialsProvider(CREDENTIALS).endpointOverride(endpoint).forcePathStyle(true).build();
            sfn = SfnClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).region(region)
                    .credentialsProvider(CREDENTIALS).endpointOverride(endpoint).build();
        }

        /** moto's default account. */
        String account() {
            return "123456789012";
        }

        StackStatus stackStatus() {
            return stackStatus(STACK);
        }

        StackStatus stackStatus(String stack) {
            return cfn.describeStacks(b -> b.stackName(stack)).stacks().getFirst().stackStatus();
        }

        Map<String, StackResource> resources() {
            return resources(STACK);
        }

        Map<String, StackResource> resources(String stack) {
            var byId = new LinkedHashMap<String, StackResource>();
            cfn.describeStackResources(b -> b.stackName(stack)).stackResources()
                    .forEach(r -> byId.put(r.logicalResourceId(), r));
            return byId;
        }

        Map<String, S3Object> objects(String bucket) {
            var byKey = new LinkedHashMap<String, S3Object>();
            s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> byKey.put(o.key(), o));
            return byKey;
        }

        byte[] bytes(String bucket, String key) {
            return s3.getObject(b -> b.bucket(bucket).key(key), ResponseTransformer.toBytes()).asByteArray();
        }

        @Override
        public void close() {
            cfn.close();
            s3.close();
            sfn.close();
        }
    }
}
