package com.orderflow.cdk.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.model.ChangeSetType;
import software.amazon.awssdk.services.cloudformation.model.ExecutionStatus;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * Every target on a tiny CDK app ({@link TestApp}), with the real AWS SDK against moto's server: what CloudFormation
 * and S3 answer comes from an implementation written elsewhere, and the outcome is read back through their APIs.
 */
class DeployerMotoTest {

    static final String STACK = "orderflow-test";
    static final String REGION = MotoDeployTest.REGION;
    static MotoServer moto;
    static MotoDeployTest.Clients aws;

    @TempDir
    Path work;
    final ByteArrayOutputStream output = new ByteArrayOutputStream();
    String bucket;

    @BeforeAll
    static void startMoto() throws Exception {
        MotoServer.requireAvailable();
        var root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        moto = MotoServer.start(root.resolve("target/moto"));
        aws = new MotoDeployTest.Clients(moto.endpoint());
    }

    @AfterAll
    static void stopMoto() {
        if (aws != null) {
            aws.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @BeforeEach
    void freshAccount() throws Exception {
        moto.reset();
        bucket = AssetsBucket.nameFor(aws.account(), REGION);
    }

    DeployerConfig.Builder config(CloudAssemblySource source) {
        return DeployerConfig.builder("test")
                .assemblyDir(work.resolve("cdk.out"))
                .outputsDir(work)
                .source(source)
                .credentials(MotoDeployTest.Clients.CREDENTIALS, "dev")
                .region(() -> Region.of(REGION))
                .endpoint(moto.endpoint())
                .pollInterval(Duration.ofMillis(50))
                .tlsOnlyAssets(false)
                .out(new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    String run(Target target, CloudAssemblySource source) {
        return run(target, source, UnaryOperator.identity());
    }

    String run(Target target, CloudAssemblySource source, UnaryOperator<DeployerConfig.Builder> tweak) {
        new Deployer(tweak.apply(config(source)).build()).run(target);
        return output.toString(StandardCharsets.UTF_8);
    }

    void bootstrapped() {
        run(Target.BOOTSTRAP, TestApp.SMALL);
        output.reset();
    }

    void deployedBeforehand(String template) {
        aws.cfn.createStack(b -> b.stackName(STACK).templateBody(template));
        assertThat(aws.stackStatus(STACK)).isEqualTo(StackStatus.CREATE_COMPLETE);
    }

    // ---- bootstrap ----------------------------------------------------------------------------------------

    @Test
    void bootstrap_newAccount_createsTheSecuredAssetsBucket_andNoStack() {
        var out = run(Target.BOOTSTRAP, TestApp.SMALL);

        assertThat(aws.s3.getBucketVersioning(b -> b.bucket(bucket)).status()).isEqualTo(BucketVersioningStatus.ENABLED);
        assertThat(aws.s3.getBucketEncryption(b -> b.bucket(bucket)).serverSideEncryptionConfiguration().rules())
                .singleElement().satisfies(r -> {
                    assertThat(r.applyServerSideEncryptionByDefault().sseAlgorithmAsString()).isEqualTo("AES256");
                    assertThat(r.bucketKeyEnabled()).isTrue();
                });
        var block = aws.s3.getPublicAccessBlock(b -> b.bucket(bucket)).publicAccessBlockConfiguration();
        assertThat(java.util.List.of(block.blockPublicAcls(), block.ignorePublicAcls(), block.blockPublicPolicy(),
                block.restrictPublicBuckets())).containsOnly(true);
        var rules = aws.s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules();
        assertThat(rules).filteredOn(r -> r.id().equals("expire-old-asset-versions")).singleElement()
                .satisfies(r -> assertThat(r.noncurrentVersionExpiration().noncurrentDays()).isEqualTo(30));
        assertThat(rules).filteredOn(r -> r.id().equals("expire-uploaded-templates")).singleElement()
                .satisfies(r -> {
                    assertThat(r.filter().prefix()).isEqualTo("templates/");
                    assertThat(r.expiration().days()).isEqualTo(30);
                });
        assertThat(aws.s3.getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString()).isEqualTo(REGION);
        assertThat(out).contains("policy: none. WARNING: -Dorderflow.assets.tlsOnly=false", "Bootstrapped: bucket " + bucket);
        assertThat(aws.cfn.listStacks().stackSummaries()).as("bootstrap deploys no stack").isEmpty();
    }

    @Test
    void bootstrap_plainHttpEndpoint_withoutTheOptOut_refusesBeforeCreatingAnything() {
        assertThatThrownBy(() -> run(Target.BOOTSTRAP, TestApp.SMALL, c -> c.tlsOnlyAssets(true)))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining(moto.endpoint() + " is plain http")
                .hasMessageContaining("-Dorderflow.assets.tlsOnly=false");
        assertThat(aws.s3.listBuckets().buckets()).isEmpty();
    }

    @Test
    void bootstrap_bucketExists_saysSo_andChangesNothing() {
        bootstrapped();
        aws.s3.deleteBucketLifecycle(b -> b.bucket(bucket));

        var out = run(Target.BOOTSTRAP, TestApp.SMALL, c -> c.tlsOnlyAssets(true));

        assertThat(out).contains("Already bootstrapped: bucket " + bucket + " exists");
        assertThatThrownBy(() -> aws.s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)))
                .as("left as found").isInstanceOfSatisfying(software.amazon.awssdk.services.s3.model.S3Exception.class,
                        e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    // ---- deploy -------------------------------------------------------------------------------------------

    @Test
    void deploy_newStack_publishesTheZippedAsset_createsTheStack_andWritesOutputs() throws IOException {
        bootstrapped();

        var out = run(Target.DEPLOY, TestApp.SMALL.cached());

        assertThat(aws.stackStatus(STACK)).isEqualTo(StackStatus.CREATE_COMPLETE);
        var objects = aws.objects(bucket);
        assertThat(objects.keySet()).as("the directory asset, zipped; the template travels inline").singleElement()
                .satisfies(key -> {
                    assertThat(key).endsWith(".zip");
                    assertThat(TestApp.unzippedNames(aws.bytes(bucket, key))).containsExactly("handler.txt", "lib/library.txt");
                });
        var orders = aws.resources(STACK).get("OrdersA9B65338").physicalResourceId();
        aws.s3.headBucket(b -> b.bucket(orders));
        var outputs = new ObjectMapper().readTree(work.resolve("cdk-outputs-test.json").toFile()).path(STACK);
        assertThat(outputs.path("OrdersBucketName").asText()).isEqualTo(orders);
        assertThat(outputs.path("CodeKey").asText()).isEqualTo(objects.keySet().iterator().next());
        assertThat(out).contains("Stack orderflow-test CREATE_COMPLETE", "OrdersBucketName = " + orders);
    }

    @Test
    void deploy_existingStack_updatesItThroughAChangeSetOfTypeUpdate() {
        bootstrapped();
        deployedBeforehand(TestApp.olderTemplate());

        var out = run(Target.DEPLOY, TestApp.SMALL.cached());

        assertThat(out).contains("Updating stack orderflow-test", "Stack orderflow-test UPDATE_COMPLETE");
        assertThat(aws.stackStatus(STACK)).isEqualTo(StackStatus.UPDATE_COMPLETE);
        assertThat(aws.resources(STACK).keySet()).containsExactlyInAnyOrder("OrdersA9B65338", "ScratchF72D2ED6");
    }

    @Test
    void deploy_unchangedStack_printsNoChanges_andLeavesNoChangeSet() {
        bootstrapped();
        run(Target.DEPLOY, TestApp.SMALL.cached());
        output.reset();

        var out = run(Target.DEPLOY, TestApp.SMALL.cached());

        assertThat(out).contains("no changes: stack orderflow-test is up to date").doesNotContain("executing");
        assertThat(aws.cfn.listChangeSets(b -> b.stackName(STACK)).summaries())
                .allSatisfy(cs -> assertThat(cs.executionStatus()).isEqualTo(ExecutionStatus.EXECUTE_COMPLETE));
        assertThat(aws.stackStatus(STACK)).isEqualTo(StackStatus.CREATE_COMPLETE);
    }

    @Test
    void deploy_templateOverTheInlineLimit_isUploaded_andCloudFormationReadsItFromTheUrl() {
        bootstrapped();

        var out = run(Target.DEPLOY, TestApp.LARGE.cached());

        var key = "templates/orderflow-test-" + StackDeployment.sha256(
                TestApp.LARGE.template().getBytes(StandardCharsets.UTF_8)) + ".json";
        assertThat(new String(aws.bytes(bucket, key), StandardCharsets.UTF_8)).isEqualTo(TestApp.LARGE.template());
        assertThat(out).contains("over the 51200 byte inline limit");
        assertThat(aws.stackStatus(STACK)).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(aws.cfn.getTemplate(b -> b.stackName(STACK)).templateBody()).isEqualTo(TestApp.LARGE.template());
    }

    @Test
    void deploy_templateUrlOnAnIpEndpoint_whichMotoCannotRead_failsNamingTheUrlAndTheFix() {
        bootstrapped();
        var byIp = java.net.URI.create(moto.endpoint().toString().replace("localhost", "127.0.0.1"));

        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.LARGE.cached(), c -> c.endpoint(byIp)))
                .isInstanceOf(DeployException.class)
                .hasMessageStartingWith("CloudFormation could not read the template at " + byIp + "/" + bucket + "/templates/")
                .hasMessageContaining("AWS_ENDPOINT_URL=http://localhost:<port>");
    }

    @Test
    void deploy_staleChangeSetsOfOurs_areDeleted_othersAreLeft() {
        bootstrapped();
        deployedBeforehand(TestApp.olderTemplate());
        for (var name : java.util.List.of("orderflow-deploy-1700000000000", "someone-elses-review")) {
            aws.cfn.createChangeSet(b -> b.stackName(STACK).changeSetName(name).changeSetType(ChangeSetType.UPDATE)
                    .templateBody(TestApp.SMALL.template()));
        }

        var out = run(Target.DEPLOY, TestApp.SMALL.cached());

        assertThat(out).contains("Deleting stale change set orderflow-deploy-1700000000000");
        assertThat(aws.cfn.listChangeSets(b -> b.stackName(STACK)).summaries())
                .filteredOn(cs -> cs.executionStatus() != ExecutionStatus.EXECUTE_COMPLETE)
                .extracting(cs -> cs.changeSetName()).containsExactly("someone-elses-review");
    }

    @Test
    void deploy_assetAlreadyUploaded_isNotUploadedAgain() {
        bootstrapped();
        run(Target.DEPLOY, TestApp.SMALL.cached());
        output.reset();

        var out = run(Target.DEPLOY, TestApp.SMALL.cached());

        assertThat(out).contains("already uploaded");
        var key = aws.objects(bucket).keySet().iterator().next();
        assertThat(aws.s3.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions())
                .as("one upload in a versioned bucket is one version").hasSize(1);
    }

    // ---- diff ---------------------------------------------------------------------------------------------

    @Test
    void diff_deployedStack_printsEachChange_changesNothing_andDeletesItsChangeSet() {
        bootstrapped();
        deployedBeforehand(TestApp.olderTemplate());

        var out = run(Target.DIFF, TestApp.SMALL.cached());

        assertThat(out).containsPattern("Modify\\s+OrdersA9B65338\\s+AWS::S3::Bucket")
                .containsPattern("Add\\s+ScratchF72D2ED6\\s+AWS::S3::Bucket")
                .containsPattern("Remove\\s+Legacy\\s+AWS::SNS::Topic");
        assertThat(aws.stackStatus(STACK)).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(aws.resources(STACK).keySet()).containsExactlyInAnyOrder("OrdersA9B65338", "Legacy");
        assertThat(aws.cfn.listChangeSets(b -> b.stackName(STACK)).summaries()).isEmpty();
        assertThat(aws.objects(bucket)).as("a diff uploads nothing").isEmpty();
    }

    @Test
    void diff_noStackYet_listsEveryResourceAsAdd_withoutCreatingAStack() {
        bootstrapped();

        var out = run(Target.DIFF, TestApp.SMALL.cached());

        assertThat(out).contains("does not exist yet")
                .containsPattern("Add\\s+OrdersA9B65338\\s+AWS::S3::Bucket")
                .containsPattern("Add\\s+ScratchF72D2ED6\\s+AWS::S3::Bucket");
        assertThat(aws.cfn.listStacks().stackSummaries()).isEmpty();
    }

    @Test
    void diff_unchanged_printsNoChanges() {
        bootstrapped();
        deployedBeforehand(TestApp.SMALL.template());

        var out = run(Target.DIFF, TestApp.SMALL.cached());

        assertThat(out).contains("no changes");
        assertThat(aws.cfn.listChangeSets(b -> b.stackName(STACK)).summaries()).isEmpty();
    }

    // ---- destroy ------------------------------------------------------------------------------------------

    @Test
    void destroy_withYes_deletesTheStack_andNamesWhatIsRetained() {
        bootstrapped();
        run(Target.DEPLOY, TestApp.SMALL.cached());
        var orders = aws.resources(STACK).get("OrdersA9B65338").physicalResourceId();
        output.reset();

        var out = run(Target.DESTROY, TestApp.SMALL.cached(), c -> c.yes(true));

        assertThat(out).contains("Stack orderflow-test deleted.", "Retained (DeletionPolicy Retain")
                .contains("  OrdersA9B65338 (AWS::S3::Bucket) " + orders);
        assertThat(out.substring(out.indexOf("Retained ("))).doesNotContain("ScratchF72D2ED6");
        assertThat(aws.cfn.listStacks().stackSummaries())
                .allSatisfy(s -> assertThat(s.stackStatus()).isEqualTo(StackStatus.DELETE_COMPLETE));
    }

    @Test
    void destroy_withoutYes_andNoConsole_refuses_andDeletesNothing() {
        deployedBeforehand(TestApp.SMALL.template());

        assertThatThrownBy(() -> run(Target.DESTROY, TestApp.SMALL.cached(), c -> c.yes(false).interactive(false)))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("Refusing to destroy orderflow-test")
                .hasMessageContaining("-Dyes");
        assertThat(aws.stackStatus(STACK)).isEqualTo(StackStatus.CREATE_COMPLETE);
    }

    @Test
    void destroy_interactive_deletesOnlyWhenTheStackNameIsTyped() {
        deployedBeforehand(TestApp.SMALL.template());

        assertThatThrownBy(() -> run(Target.DESTROY, TestApp.SMALL.cached(), c -> c.interactive(true)
                .in(new ByteArrayInputStream("yes\n".getBytes(StandardCharsets.UTF_8)))))
                .hasMessageContaining("Not confirmed");
        assertThat(aws.stackStatus(STACK)).isEqualTo(StackStatus.CREATE_COMPLETE);

        var out = run(Target.DESTROY, TestApp.SMALL.cached(), c -> c.interactive(true)
                .in(new ByteArrayInputStream((STACK + "\n").getBytes(StandardCharsets.UTF_8))));

        assertThat(out).contains("Type the stack name to confirm", "Stack orderflow-test deleted.");
        assertThat(aws.cfn.listStacks().stackSummaries())
                .allSatisfy(s -> assertThat(s.stackStatus()).isEqualTo(StackStatus.DELETE_COMPLETE));
    }

    @Test
    void destroy_noStack_saysThereIsNothingToDestroy() {
        var out = run(Target.DESTROY, TestApp.SMALL.cached(), c -> c.yes(true));

        assertThat(out).contains("does not exist").contains("nothing to destroy");
    }
}
