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
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Every target on a tiny CDK app ({@link TestApp}), with the real AWS SDK against moto's server: what CloudFormation
 * and S3 answer comes from an implementation written elsewhere, and the outcome is read back through their APIs.
 */
class DeployerMotoTest {

    static final String STACK = "orderflow-test";
    static final String REGION = MotoDeployTest.REGION;
    /**
     * The toolkit bucket's properties (JSON pointers under Properties) that moto's CloudFormation ignores: its
     * AWS::S3::Bucket applies only the encryption algorithm and tags. ToolkitTemplateTest checks them on the template.
     */
    static final java.util.Set<String> BUCKET_PROPERTIES_MOTO_IGNORES = java.util.Set.of("/VersioningConfiguration",
            "/LifecycleConfiguration", "/PublicAccessBlockConfiguration",
            "/BucketEncryption/ServerSideEncryptionConfiguration/0/BucketKeyEnabled");
    /** Toolkit resource types moto's CloudFormation has no model of; ToolkitTemplateTest checks them on the template. */
    static final java.util.Set<String> TOOLKIT_TYPES_MOTO_CANNOT_MODEL = java.util.Set.of("AWS::S3::BucketPolicy");
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
    void bootstrap_newAccount_createsTheToolkitStack_holdingTheAssetsBucket_andReadsItsOutputs() {
        var out = run(Target.BOOTSTRAP, TestApp.SMALL);

        assertThat(aws.stackStatus(ToolkitStack.NAME)).isEqualTo(StackStatus.CREATE_COMPLETE);
        var outputs = toolkitOutputs();
        assertThat(outputs).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "AssetsBucketName", bucket, "ToolkitVersion", String.valueOf(ToolkitTemplate.VERSION)));
        assertThat(aws.resources(ToolkitStack.NAME)).as("the opt-out leaves the policy out").containsOnlyKeys("AssetsBucket")
                .extractingByKey("AssetsBucket").satisfies(r -> {
                    assertThat(r.resourceType()).isEqualTo("AWS::S3::Bucket");
                    assertThat(r.physicalResourceId()).isEqualTo(bucket);
                });
        aws.s3.headBucket(b -> b.bucket(bucket));
        assertThat(aws.s3.getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString()).isEqualTo(REGION);
        assertThat(aws.s3.getBucketEncryption(b -> b.bucket(bucket)).serverSideEncryptionConfiguration().rules())
                .singleElement().satisfies(r -> assertThat(r.applyServerSideEncryptionByDefault().sseAlgorithmAsString())
                        .isEqualTo("AES256"));
        assertThatThrownBy(() -> aws.s3.getBucketPolicy(b -> b.bucket(bucket)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThat(out).contains("policy: none. WARNING: -Dorderflow.assets.tlsOnly=false",
                "Toolkit stack OrderflowToolkit CREATE_COMPLETE", "OrderflowToolkit.AssetsBucketName = " + bucket,
                "Bootstrapped: bucket " + bucket + " of toolkit stack OrderflowToolkit");
        // progress as a deploy shows it, one line per stack event (moto records only the stack's own events)
        var events = out.lines().filter(l -> l.startsWith("OrderflowToolkit | ")).toList();
        assertThat(events.getFirst()).matches("OrderflowToolkit \\| 0/2 \\| \\d\\d:\\d\\d:\\d\\d \\| CREATE_IN_PROGRESS\\s+"
                + "\\| AWS::CloudFormation::Stack\\s+\\| OrderflowToolkit User Initiated");
        assertThat(events.getLast()).matches("OrderflowToolkit \\| \\d/2 \\| \\d\\d:\\d\\d:\\d\\d \\| CREATE_COMPLETE\\s+"
                + "\\| AWS::CloudFormation::Stack\\s+\\| OrderflowToolkit");
    }

    @Test
    void bootstrap_bucketSettingsMotoIgnores_areNamed_andReallyAbsentInMoto() {
        run(Target.BOOTSTRAP, TestApp.SMALL);

        // the template sets each of these (ToolkitTemplateTest); moto's AWS::S3::Bucket applies only encryption and
        // tags, so here they read back unset: if moto starts applying one, this fails and the list must shrink
        assertThat(BUCKET_PROPERTIES_MOTO_IGNORES).hasSize(4);
        assertThat(aws.s3.getBucketEncryption(b -> b.bucket(bucket)).serverSideEncryptionConfiguration().rules())
                .singleElement().satisfies(r -> assertThat(r.bucketKeyEnabled()).isFalse());
        assertThat(aws.s3.getBucketVersioning(b -> b.bucket(bucket)).status()).isNull();
        assertThatThrownBy(() -> aws.s3.getBucketLifecycleConfiguration(b -> b.bucket(bucket)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
        assertThatThrownBy(() -> aws.s3.getPublicAccessBlock(b -> b.bucket(bucket)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    void toolkitTemplateWithTlsOnly_motoCreatesTheStack_butNotTheBucketPolicy() {
        // the deployer never sends this template over plain http (the policy would lock the bucket); given to moto
        // directly, it shows that moto has no model of AWS::S3::BucketPolicy, so the policy is checked on the template
        aws.cfn.createStack(b -> b.stackName(ToolkitStack.NAME).templateBody(ToolkitTemplate.json(true)));

        assertThat(aws.stackStatus(ToolkitStack.NAME)).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(TOOLKIT_TYPES_MOTO_CANNOT_MODEL).containsExactly("AWS::S3::BucketPolicy");
        // the policy it skipped, moto lists as a resource with neither logical id nor type
        assertThat(aws.cfn.describeStackResources(b -> b.stackName(ToolkitStack.NAME)).stackResources())
                .extracting(StackResource::logicalResourceId, StackResource::resourceType)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("AssetsBucket", "AWS::S3::Bucket"),
                        org.assertj.core.groups.Tuple.tuple(null, null));
        assertThatThrownBy(() -> aws.s3.getBucketPolicy(b -> b.bucket(bucket)))
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    void bootstrap_secondRun_changesNothing_andStillNamesTheBucket() {
        bootstrapped();
        var created = aws.resources(ToolkitStack.NAME).get("AssetsBucket").physicalResourceId();

        var out = run(Target.BOOTSTRAP, TestApp.SMALL);

        assertThat(out).contains("no changes: stack OrderflowToolkit is up to date", "OrderflowToolkit.AssetsBucketName = " + bucket,
                "Bootstrapped: bucket " + bucket).doesNotContain("executing");
        assertThat(aws.stackStatus(ToolkitStack.NAME)).isEqualTo(StackStatus.CREATE_COMPLETE);
        assertThat(aws.resources(ToolkitStack.NAME).get("AssetsBucket").physicalResourceId()).isEqualTo(created);
        assertThat(aws.cfn.listChangeSets(b -> b.stackName(ToolkitStack.NAME)).summaries())
                .allSatisfy(cs -> assertThat(cs.executionStatus()).isEqualTo(ExecutionStatus.EXECUTE_COMPLETE));
    }

    @Test
    void bootstrap_plainHttpEndpoint_withoutTheOptOut_refusesBeforeCreatingAnything() {
        assertThatThrownBy(() -> run(Target.BOOTSTRAP, TestApp.SMALL, c -> c.tlsOnlyAssets(true)))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining(moto.endpoint() + " is plain http")
                .hasMessageContaining("-Dorderflow.assets.tlsOnly=false");
        assertThat(aws.s3.listBuckets().buckets()).isEmpty();
        assertThat(aws.cfn.listStacks().stackSummaries()).isEmpty();
    }

    @Test
    void bootstrap_bucketOfAnEarlierBootstrap_withoutToolkitStack_namesTheFix_andCreatesNoStack() {
        aws.s3.createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(REGION)));

        assertThatThrownBy(() -> run(Target.BOOTSTRAP, TestApp.SMALL))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("Bucket " + bucket + " exists, but no toolkit stack OrderflowToolkit holds it")
                .hasMessageContaining("aws s3 rb s3://" + bucket + " --force");
        assertThat(aws.cfn.listStacks().stackSummaries()).isEmpty();
    }

    java.util.Map<String, String> toolkitOutputs() {
        var outputs = new java.util.LinkedHashMap<String, String>();
        aws.cfn.describeStacks(b -> b.stackName(ToolkitStack.NAME)).stacks().getFirst().outputs()
                .forEach(o -> outputs.put(o.outputKey(), o.outputValue()));
        return outputs;
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
        assertThat(out).contains("Assets bucket " + bucket + " (output of toolkit stack OrderflowToolkit)",
                "Stack orderflow-test CREATE_COMPLETE", "OrdersBucketName = " + orders);
    }

    @Test
    void deploy_withoutToolkitStack_namesTheBootstrapCommand_beforeSynthesisOrUpload() {
        var synthesized = new java.util.concurrent.atomic.AtomicBoolean();
        CloudAssemblySource source = (stage, dir) -> {
            synthesized.set(true);
            return TestApp.SMALL.cached().synthesize(stage, dir);
        };

        assertThatThrownBy(() -> run(Target.DEPLOY, source))
                .isInstanceOf(DeployException.class)
                .hasMessageStartingWith("Toolkit stack OrderflowToolkit does not exist in account " + aws.account()
                        + ", region " + REGION)
                .hasMessageContaining("run `mvn -Pbootstrap -Dstage=test` once for this account and region");
        assertThat(synthesized).isFalse();
        assertThat(aws.cfn.listStacks().stackSummaries()).isEmpty();
    }

    @Test
    void deploy_assetsBucketDeletedByHand_namesTheToolkitStackToDelete() {
        bootstrapped();
        aws.s3.deleteBucket(b -> b.bucket(bucket));

        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached()))
                .isInstanceOf(DeployException.class)
                .hasMessageStartingWith("Toolkit stack OrderflowToolkit names the assets bucket " + bucket + ", which no"
                        + " longer exists")
                .hasMessageContaining("aws cloudformation delete-stack --stack-name OrderflowToolkit");
    }

    @Test
    void deploy_toolkitStackOfAnOlderVersion_asksForBootstrapAgain() {
        aws.cfn.createStack(b -> b.stackName(ToolkitStack.NAME).templateBody(handMadeToolkit(bucket, "0")));

        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached()))
                .isInstanceOf(DeployException.class)
                .hasMessage("Toolkit stack OrderflowToolkit is version 0, this deployer needs " + ToolkitTemplate.VERSION
                        + ": run `mvn -Pbootstrap -Dstage=test` again for this account and region");
    }

    @Test
    void deploy_toolkitNamingABucketTheAppDoesNotUploadTo_refusesBeforeUploading() {
        aws.cfn.createStack(b -> b.stackName(ToolkitStack.NAME)
                .templateBody(handMadeToolkit("someone-elses-assets", String.valueOf(ToolkitTemplate.VERSION))));

        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached()))
                .isInstanceOf(DeployException.class)
                .hasMessageStartingWith("The app's assets go to bucket " + bucket + ", but toolkit stack OrderflowToolkit"
                        + " holds someone-elses-assets");
        assertThat(aws.objects("someone-elses-assets")).isEmpty();
        assertThat(aws.cfn.listStacks().stackSummaries()).extracting(s -> s.stackName()).containsExactly(ToolkitStack.NAME);
    }

    /** A toolkit stack not made by this bootstrap: a bucket of the given name, and outputs as bootstrap writes them. */
    static String handMadeToolkit(String bucketName, String version) {
        return """
                {"Resources": {"AssetsBucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "%s"}}},
                 "Outputs": {"AssetsBucketName": {"Value": {"Ref": "AssetsBucket"}}, "ToolkitVersion": {"Value": "%s"}}}"""
                .formatted(bucketName, version);
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
        // moto lists every stack's change sets whatever StackName says (the toolkit's executed one among them)
        assertThat(aws.cfn.listChangeSets(b -> b.stackName(STACK)).summaries())
                .filteredOn(cs -> cs.stackName().equals(STACK)).isEmpty();
        assertThat(aws.objects(bucket)).as("a diff uploads nothing").isEmpty();
    }

    @Test
    void diff_noStackYet_listsEveryResourceAsAdd_withoutCreatingAStack() {
        bootstrapped();

        var out = run(Target.DIFF, TestApp.SMALL.cached());

        assertThat(out).contains("does not exist yet")
                .containsPattern("Add\\s+OrdersA9B65338\\s+AWS::S3::Bucket")
                .containsPattern("Add\\s+ScratchF72D2ED6\\s+AWS::S3::Bucket");
        assertThat(aws.cfn.listStacks().stackSummaries()).extracting(s -> s.stackName()).containsExactly(ToolkitStack.NAME);
    }

    @Test
    void diff_unchanged_printsNoChanges() {
        bootstrapped();
        deployedBeforehand(TestApp.SMALL.template());

        var out = run(Target.DIFF, TestApp.SMALL.cached());

        assertThat(out).contains("no changes");
        // moto lists every stack's change sets whatever StackName says (the toolkit's executed one among them)
        assertThat(aws.cfn.listChangeSets(b -> b.stackName(STACK)).summaries())
                .filteredOn(cs -> cs.stackName().equals(STACK)).isEmpty();
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
        assertThat(aws.cfn.listStacks().stackSummaries()).filteredOn(s -> s.stackName().equals(STACK))
                .allSatisfy(s -> assertThat(s.stackStatus()).isEqualTo(StackStatus.DELETE_COMPLETE));
        // as cdk destroy leaves CDKToolkit: the next deploy of any stage needs it
        assertThat(out).contains("Toolkit stack OrderflowToolkit (the assets bucket) is left in place");
        assertThat(aws.stackStatus(ToolkitStack.NAME)).isEqualTo(StackStatus.CREATE_COMPLETE);
        aws.s3.headBucket(b -> b.bucket(bucket));
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
