package com.orderflow.cdk.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;

/**
 * Bootstrap and deploy against moto as installed ({@code python3 -m moto.server}, as the README's commands run it),
 * which answers no stack outputs after a change set: the toolkit's outputs are then worked out from its template
 * and resources, and said so, so that a user's first bootstrap against moto works without the tests' correction.
 */
class StockMotoBootstrapTest {

    @TempDir
    Path work;

    @Test
    void bootstrapThenDeploy_againstMotoAsInstalled_readsTheToolkitBucketWithoutOutputs() throws Exception {
        MotoServer.requireAvailable();
        var root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        try (var moto = MotoServer.startAsInstalled(root.resolve("target/moto"));
             var aws = new MotoDeployTest.Clients(moto.endpoint())) {
            var bucket = AssetsBucket.nameFor(aws.account(), MotoDeployTest.REGION);
            assertThat(aws.cfn.listStacks().stackSummaries()).isEmpty();

            var bootstrap = run(Target.BOOTSTRAP, moto);

            assertThat(aws.stackStatus(ToolkitStack.NAME)).isEqualTo(StackStatus.CREATE_COMPLETE);
            assertThat(aws.cfn.describeStacks(b -> b.stackName(ToolkitStack.NAME)).stacks().getFirst().outputs())
                    .as("what moto as installed answers").isEmpty();
            assertThat(bootstrap).contains("(CloudFormation at " + moto.endpoint() + " answered no outputs for OrderflowToolkit:"
                    + " read from its template and resources instead)", "OrderflowToolkit.AssetsBucketName = " + bucket,
                    "OrderflowToolkit.ToolkitVersion = " + ToolkitTemplate.VERSION);

            var deploy = run(Target.DEPLOY, moto);

            assertThat(deploy).contains("Assets bucket " + bucket + " (output of toolkit stack OrderflowToolkit)",
                    "Stack orderflow-test CREATE_COMPLETE");
            assertThat(aws.objects(bucket).keySet()).singleElement().satisfies(k -> assertThat(k).endsWith(".zip"));
        }
    }

    private String run(Target target, MotoServer moto) {
        var output = new ByteArrayOutputStream();
        var config = DeployerConfig.builder("test")
                .assemblyDir(work.resolve("cdk.out"))
                .outputsDir(work)
                .source(TestApp.SMALL.cached())
                .credentials(MotoDeployTest.Clients.CREDENTIALS, null)
                .region(() -> Region.of(MotoDeployTest.REGION))
                .endpoint(moto.endpoint())
                .pollInterval(Duration.ofMillis(50))
                .tlsOnlyAssets(false)
                .out(new PrintStream(output, true, StandardCharsets.UTF_8))
                .build();
        new Deployer(config).run(target);
        return output.toString(StandardCharsets.UTF_8);
    }
}
