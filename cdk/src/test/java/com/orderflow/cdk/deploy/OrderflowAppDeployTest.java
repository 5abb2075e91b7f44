package com.orderflow.cdk.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderflow.cdk.AppConfig;
import com.orderflow.cdk.OrderflowApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** The real orderflow app, synthesized in-process, deployed and destroyed through the stub. */
class OrderflowAppDeployTest {

    @TempDir
    Path work;

    @Test
    void orderflowApp_deploysThroughTemplateUrl_uploadsTheJarAsIs_andDestroysListingWhatIsRetained() throws IOException {
        var root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
        var jar = placeholderJar(work.resolve("orderflow-lambda.jar"));
        CloudAssemblySource app = (stage, outdir) -> {
            var config = AppConfig.forStage(stage, root).withLambdaJar(jar).withOutdir(outdir.toAbsolutePath());
            OrderflowApp.build(config).synth();
            return config.stackName();
        };
        var output = new ByteArrayOutputStream();
        try (var aws = new AwsStub()) {
            aws.bucket(DeployerTest.BUCKET);
            var config = DeployerConfig.builder("dev")
                    .assemblyDir(work.resolve("cdk.out"))
                    .outputsDir(work)
                    .source(app)
                    .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), "dev")
                    .region(() -> Region.of(AwsStub.REGION))
                    .endpoint(aws.endpoint())
                    .pollInterval(Duration.ofMillis(1))
                    .yes(true)
                    .out(new PrintStream(output, true, StandardCharsets.UTF_8));

            new Deployer(config.build()).run(Target.DEPLOY);

            var template = Files.readString(work.resolve("cdk.out/orderflow-dev.template.json"));
            assertThat(template.getBytes(StandardCharsets.UTF_8)).hasSizeGreaterThan(StackDeployment.INLINE_TEMPLATE_LIMIT);
            var create = aws.calls("cloudformation", "CreateChangeSet").getFirst();
            assertThat(create.param("TemplateURL")).contains("/" + DeployerTest.BUCKET + "/templates/orderflow-dev-");
            assertThat(create.param("ChangeSetType")).isEqualTo("CREATE");
            // the shaded jar is a file asset: uploaded byte for byte, not zipped again
            assertThat(aws.calls("s3", "PutObject")).filteredOn(c -> c.path().endsWith(".jar")).singleElement()
                    .satisfies(c -> assertThat(c.body()).isEqualTo(Files.readAllBytes(jar)));
            var outputs = new ObjectMapper().readTree(work.resolve("cdk-outputs-dev.json").toFile()).path("orderflow-dev");
            var expected = new ArrayList<String>();
            new ObjectMapper().readTree(template).path("Outputs").properties().forEach(e -> expected.add(e.getKey()));
            var written = new ArrayList<String>();
            outputs.properties().forEach(e -> written.add(e.getKey()));
            assertThat(written).containsExactlyInAnyOrderElementsOf(expected).contains("ApiUrl");

            new Deployer(config.build()).run(Target.DESTROY);

            var retained = Template.parse(template).retained();
            var printed = output.toString(StandardCharsets.UTF_8);
            // kept in target/surefire-reports: what a user sees for the real stack
            System.out.print(printed);
            assertThat(printed).contains("Stack orderflow-dev deleted.");
            retained.forEach(r -> assertThat(printed).contains("  " + r.logicalId() + " (" + r.type() + ")"));
            assertThat(printed).contains(retained.isEmpty() ? "Nothing was retained." : "Retained (DeletionPolicy Retain");
        }
    }

    private static Path placeholderJar(Path jar) throws IOException {
        try (var zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return jar;
    }
}
