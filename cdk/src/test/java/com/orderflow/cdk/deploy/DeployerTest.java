package com.orderflow.cdk.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** Every target, run with the real AWS SDK against a loopback stub that answers in AWS's wire formats. */
class DeployerTest {

    static final String STACK = "orderflow-test";
    static final String BUCKET = "orderflow-assets-" + AwsStub.ACCOUNT + "-" + AwsStub.REGION;

    @TempDir
    Path work;
    AwsStub aws;
    final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeEach
    void startStub() throws IOException {
        aws = new AwsStub();
    }

    @AfterEach
    void stopStub() {
        aws.close();
    }

    DeployerConfig.Builder config(CloudAssemblySource source) {
        return DeployerConfig.builder("test")
                .assemblyDir(work.resolve("cdk.out"))
                .outputsDir(work)
                .source(source)
                .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), "dev")
                .region(() -> Region.of(AwsStub.REGION))
                .endpoint(aws.endpoint())
                .pollInterval(Duration.ofMillis(1))
                .out(new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    String run(Target target, CloudAssemblySource source) {
        return run(target, source, UnaryOperator.identity());
    }

    String run(Target target, CloudAssemblySource source, UnaryOperator<DeployerConfig.Builder> tweak) {
        new Deployer(tweak.apply(config(source)).build()).run(target);
        return printed();
    }

    String printed() {
        return output.toString(StandardCharsets.UTF_8);
    }

    // ---- synth --------------------------------------------------------------------------------------------

    @Test
    void synth_writesTheCloudAssembly_andCountsResourcesByType() {
        var out = run(Target.SYNTH, TestApp.SMALL);

        assertThat(work.resolve("cdk.out/manifest.json")).exists();
        assertThat(work.resolve("cdk.out/orderflow-test.template.json")).exists();
        assertThat(work.resolve("cdk.out/orderflow-test.assets.json")).exists();
        assertThat(out).contains("Stack orderflow-test: 2 resources").containsPattern("\\s+2\\s+AWS::S3::Bucket");
        assertThat(aws.calls).as("synth needs no AWS account").isEmpty();
    }

    @Test
    void synth_appThrows_failsWithOneLineNamingSynthesis() {
        CloudAssemblySource broken = (stage, dir) -> {
            throw new IllegalStateException("Validation failed with the following errors:\n  [orderflow-test/Api] bad");
        };

        assertThatThrownBy(() -> run(Target.SYNTH, broken))
                .isInstanceOf(DeployException.class)
                .hasMessageStartingWith("Synthesis failed: Validation failed with the following errors:")
                .hasMessageNotContaining("\n");
    }

    @Test
    void unknownTarget_namesTheValidOnes() {
        assertThatThrownBy(() -> Deployer.run(new String[] {"deplyo", "--stage=test"}, config(TestApp.SMALL).build()))
                .isInstanceOf(DeployException.class)
                .hasMessage("Unknown target 'deplyo': use one of synth, bootstrap, diff, deploy, destroy");
    }

    // ---- bootstrap ----------------------------------------------------------------------------------------

    @Test
    void bootstrap_newAccount_createsTheSecuredAssetsBucket() {
        var out = run(Target.BOOTSTRAP, TestApp.SMALL);

        assertThat(aws.buckets).containsKey(BUCKET);
        assertThat(aws.actions("s3")).containsSubsequence("HeadBucket", "CreateBucket").contains(
                "PutPublicAccessBlock", "PutBucketEncryption", "PutBucketVersioning",
                "PutBucketLifecycleConfiguration", "PutBucketPolicy");
        assertThat(body(aws.calls("s3", "CreateBucket").getFirst()))
                .contains("<LocationConstraint>" + AwsStub.REGION + "</LocationConstraint>");
        assertThat(body(aws.calls("s3", "PutPublicAccessBlock").getFirst()))
                .contains("<BlockPublicAcls>true</BlockPublicAcls>", "<RestrictPublicBuckets>true</RestrictPublicBuckets>");
        assertThat(body(aws.calls("s3", "PutBucketEncryption").getFirst())).contains("AES256");
        assertThat(body(aws.calls("s3", "PutBucketVersioning").getFirst())).contains("<Status>Enabled</Status>");
        assertThat(body(aws.calls("s3", "PutBucketLifecycleConfiguration").getFirst()))
                .contains("<NoncurrentDays>30</NoncurrentDays>", "<Prefix>templates/</Prefix>");
        assertThat(body(aws.calls("s3", "PutBucketPolicy").getFirst()))
                .contains("\"aws:SecureTransport\":\"false\"", "arn:aws:s3:::" + BUCKET + "/*");
        assertThat(out).contains("Bootstrapped: bucket " + BUCKET);
        assertThat(aws.calls("cloudformation")).as("bootstrap deploys no stack").isEmpty();
    }

    @Test
    void bootstrap_bucketExists_saysSo_andChangesNothing() {
        aws.bucket(BUCKET);

        var out = run(Target.BOOTSTRAP, TestApp.SMALL);

        assertThat(out).contains("Already bootstrapped: bucket " + BUCKET + " exists");
        assertThat(aws.actions("s3")).containsExactly("HeadBucket");
    }

    // ---- deploy -------------------------------------------------------------------------------------------

    @Test
    void deploy_newStack_publishesAssets_createsWithChangeSet_andWritesOutputs() throws IOException {
        aws.bucket(BUCKET);

        var out = run(Target.DEPLOY, TestApp.SMALL.cached());

        var create = aws.calls("cloudformation", "CreateChangeSet");
        assertThat(create).hasSize(1);
        assertThat(create.getFirst().param("ChangeSetType")).isEqualTo("CREATE");
        assertThat(create.getFirst().param("StackName")).isEqualTo(STACK);
        assertThat(create.getFirst().param("TemplateBody")).isEqualTo(TestApp.SMALL.template());
        assertThat(create.getFirst().params()).containsValues("CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND");
        assertThat(aws.actions("cloudformation")).containsSubsequence("DescribeStacks", "CreateChangeSet",
                "DescribeChangeSet", "DescribeChangeSet", "ExecuteChangeSet", "DescribeStackEvents", "DescribeStacks");
        assertThat(aws.actions("cloudformation")).doesNotContain("ListChangeSets", "DeleteStack");

        // the directory asset, zipped; the template travels inline, not as an asset
        var puts = aws.calls("s3", "PutObject");
        assertThat(puts).hasSize(1);
        assertThat(puts.getFirst().path()).startsWith("/" + BUCKET + "/").endsWith(".zip");
        assertThat(unzippedNames(puts.getFirst().body())).containsExactly("handler.txt", "lib/library.txt");

        assertThat(out).contains("OrdersA9B65338", "CREATE_COMPLETE", "Stack orderflow-test CREATE_COMPLETE",
                "OrdersBucketName = orderflow-test-ordersa9b65338");
        var outputs = new ObjectMapper().readTree(work.resolve("cdk-outputs-test.json").toFile());
        assertThat(outputs.path(STACK).path("OrdersBucketName").asText()).isEqualTo("orderflow-test-ordersa9b65338");
        assertThat(outputs.path(STACK).path("CodeKey").asText()).endsWith(".zip");
    }

    @Test
    void deploy_eventsArePrintedOnceEach_oldestFirst() {
        aws.bucket(BUCKET);

        var out = run(Target.DEPLOY, TestApp.SMALL.cached());

        var lines = out.lines().filter(l -> l.contains("AWS::")).toList();
        assertThat(lines).filteredOn(l -> l.contains("OrdersA9B65338") && l.contains("CREATE_COMPLETE")).hasSize(1);
        assertThat(indexOf(lines, "orderflow-test", "CREATE_IN_PROGRESS"))
                .isLessThan(indexOf(lines, "OrdersA9B65338", "CREATE_COMPLETE"))
                .isLessThan(indexOf(lines, "orderflow-test ", "CREATE_COMPLETE"));
    }

    @Test
    void deploy_existingStack_updatesWithChangeSetOfTypeUpdate() {
        aws.bucket(BUCKET);
        aws.stack(STACK, "UPDATE_COMPLETE", olderTemplate());

        var out = run(Target.DEPLOY, TestApp.SMALL.cached());

        var create = aws.calls("cloudformation", "CreateChangeSet");
        assertThat(create).singleElement().satisfies(c -> assertThat(c.param("ChangeSetType")).isEqualTo("UPDATE"));
        assertThat(aws.actions("cloudformation")).contains("ListChangeSets", "ExecuteChangeSet");
        assertThat(out).contains("Stack orderflow-test UPDATE_COMPLETE");
    }

    @Test
    void deploy_unchangedStack_printsNoChanges_deletesTheEmptyChangeSet_andExecutesNothing() {
        aws.bucket(BUCKET);
        aws.stack(STACK, "UPDATE_COMPLETE", TestApp.SMALL.template());

        var out = run(Target.DEPLOY, TestApp.SMALL.cached());

        assertThat(out).contains("no changes");
        assertThat(aws.actions("cloudformation")).contains("DeleteChangeSet").doesNotContain("ExecuteChangeSet");
        assertThat(aws.changeSets).isEmpty();
        assertThat(work.resolve("cdk-outputs-test.json")).doesNotExist();
    }

    @Test
    void deploy_stackInRollbackComplete_isDeletedFirst_thenCreated() {
        aws.bucket(BUCKET);
        var failed = aws.stack(STACK, "ROLLBACK_COMPLETE", olderTemplate());

        var out = run(Target.DEPLOY, TestApp.SMALL.cached());

        assertThat(aws.actions("cloudformation")).containsSubsequence("DeleteStack", "CreateChangeSet", "ExecuteChangeSet");
        assertThat(aws.calls("cloudformation", "DeleteStack").getFirst().param("StackName")).isEqualTo(failed.id);
        assertThat(aws.calls("cloudformation", "CreateChangeSet").getFirst().param("ChangeSetType")).isEqualTo("CREATE");
        assertThat(failed.status).isEqualTo("DELETE_COMPLETE");
        assertThat(out).contains("ROLLBACK_COMPLETE", "deleting it", "Stack orderflow-test CREATE_COMPLETE");
    }

    @Test
    void deploy_templateOverTheInlineLimit_isUploaded_andPassedAsTemplateUrl() {
        aws.bucket(BUCKET);

        run(Target.DEPLOY, TestApp.LARGE.cached());

        var create = aws.calls("cloudformation", "CreateChangeSet").getFirst();
        assertThat(create.param("TemplateBody")).isNull();
        var key = "templates/orderflow-test-" + StackDeployment.sha256(
                TestApp.LARGE.template().getBytes(StandardCharsets.UTF_8)) + ".json";
        assertThat(create.param("TemplateURL")).isEqualTo(aws.endpoint() + "/" + BUCKET + "/" + key);
        assertThat(aws.buckets.get(BUCKET).get(key)).asString(StandardCharsets.UTF_8)
                .isEqualTo(TestApp.LARGE.template()).hasSizeGreaterThan(StackDeployment.INLINE_TEMPLATE_LIMIT);
    }

    @Test
    void deploy_staleChangeSetsOfOurs_areDeleted_othersAreLeft() {
        aws.bucket(BUCKET);
        var stack = aws.stack(STACK, "UPDATE_COMPLETE", olderTemplate());
        aws.changeSets.add(new AwsStub.FakeChangeSet("orderflow-deploy-1700000000000", stack, "UPDATE", "{}", java.util.List.of()));
        aws.changeSets.add(new AwsStub.FakeChangeSet("someone-elses-review", stack, "UPDATE", "{}", java.util.List.of()));

        var out = run(Target.DEPLOY, TestApp.SMALL.cached());

        assertThat(aws.calls("cloudformation", "DeleteChangeSet")).singleElement()
                .satisfies(c -> assertThat(c.param("ChangeSetName")).contains("changeSet/orderflow-deploy-1700000000000/"));
        assertThat(aws.changeSets).extracting(cs -> cs.name).containsExactly("someone-elses-review");
        assertThat(out).contains("Deleting stale change set orderflow-deploy-1700000000000");
    }

    @Test
    void deploy_assetAlreadyUploaded_isNotUploadedAgain() {
        aws.bucket(BUCKET);
        run(Target.DEPLOY, TestApp.SMALL.cached());
        assertThat(aws.calls("s3", "PutObject")).hasSize(1);

        var out = run(Target.DEPLOY, TestApp.SMALL.cached());

        assertThat(aws.calls("s3", "PutObject")).as("still the first run's upload only").hasSize(1);
        assertThat(aws.calls("s3", "HeadObject")).hasSize(2);
        assertThat(out).contains("already uploaded");
    }

    @Test
    void deploy_resourceFails_reportsTheFirstFailure_andFails() {
        aws.bucket(BUCKET);
        aws.failingResource = "ScratchF72D2ED6";
        aws.failureReason = "Resource handler returned message: \"Bucket name already taken\"";

        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached()))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("ROLLBACK_COMPLETE")
                .hasMessageContaining("ScratchF72D2ED6: Resource handler returned message: \"Bucket name already taken\"");
        assertThat(printed()).contains("CREATE_FAILED");
        assertThat(work.resolve("cdk-outputs-test.json")).doesNotExist();
    }

    @Test
    void deploy_stackBusy_refusesWithoutTouchingIt() {
        aws.bucket(BUCKET);
        aws.stack(STACK, "UPDATE_IN_PROGRESS", olderTemplate());

        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached()))
                .hasMessageContaining("busy (UPDATE_IN_PROGRESS)");
        assertThat(aws.actions("cloudformation")).doesNotContain("CreateChangeSet", "DeleteStack");
    }

    // ---- deploy failures before anything changes ----------------------------------------------------------

    @Test
    void deploy_noCredentials_failsNamingTheFix_beforeAnyAwsCall() throws IOException {
        var emptyProfiles = Files.writeString(work.resolve("credentials"), "[other]\naws_access_key_id = AKID\n");
        var provider = software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider.builder()
                .profileFile(software.amazon.awssdk.profiles.ProfileFile.builder().content(emptyProfiles)
                        .type(software.amazon.awssdk.profiles.ProfileFile.Type.CREDENTIALS).build())
                .profileName("dev")
                .build();

        var synthesized = new java.util.concurrent.atomic.AtomicBoolean();
        CloudAssemblySource source = (stage, dir) -> {
            synthesized.set(true);
            return TestApp.SMALL.cached().synthesize(stage, dir);
        };

        assertThatThrownBy(() -> run(Target.DEPLOY, source, c -> c.credentials(provider, "dev")))
                .isInstanceOf(DeployException.class)
                .hasMessageStartingWith("No AWS credentials:")
                .hasMessageContaining("aws sso login --profile dev")
                .hasMessageContaining("AWS_ACCESS_KEY_ID");
        assertThat(aws.calls).isEmpty();
        assertThat(synthesized).as("synthesis never ran: nothing to wait for").isFalse();
    }

    @Test
    void deploy_ssoProfileWithoutLogin_failsNamingSsoLogin_beforeAnyAwsCall() throws IOException {
        // a session name no machine has a cached token for
        var session = "orderflow-test-" + java.util.UUID.randomUUID();
        var config = Files.writeString(work.resolve("config"), """
                [profile dev]
                sso_session = %s
                sso_account_id = %s
                sso_role_name = Deployer
                region = %s
                [sso-session %s]
                sso_start_url = https://example.awsapps.com/start
                sso_region = %s
                sso_registration_scopes = sso:account:access
                """.formatted(session, AwsStub.ACCOUNT, AwsStub.REGION, session, AwsStub.REGION));
        var provider = software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider.builder()
                .profileFile(software.amazon.awssdk.profiles.ProfileFile.builder().content(config)
                        .type(software.amazon.awssdk.profiles.ProfileFile.Type.CONFIGURATION).build())
                .profileName("dev")
                .build();

        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached(), c -> c.credentials(provider, "dev")))
                .isInstanceOf(DeployException.class)
                .hasMessageStartingWith("AWS SSO session expired or missing:")
                .hasMessageContaining("aws sso login --profile dev");
        assertThat(aws.calls).isEmpty();
    }

    @Test
    void deploy_expiredToken_failsNamingTheFix_beforeCloudFormation() {
        aws.bucket(BUCKET);
        aws.stsError = "ExpiredToken";

        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached()))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("expired (ExpiredToken)")
                .hasMessageContaining("aws sso login --profile dev");
        assertThat(aws.actions("sts")).containsExactly("GetCallerIdentity");
        assertThat(aws.calls("cloudformation")).isEmpty();
        assertThat(aws.calls("s3")).isEmpty();
    }

    @Test
    void deploy_withoutBootstrapBucket_namesTheBootstrapCommand() {
        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached()))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("Assets bucket " + BUCKET + " does not exist")
                .hasMessageContaining("mvn -Pbootstrap -Dstage=test");
        assertThat(aws.calls("cloudformation")).isEmpty();
    }

    @Test
    void anyTarget_withoutRegion_failsNamingAwsRegion() {
        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached(), c -> c.region(() -> {
            throw software.amazon.awssdk.core.exception.SdkClientException.create("Unable to load region from any of the providers in the chain");
        }))).isInstanceOf(DeployException.class).hasMessageStartingWith("No AWS region: set AWS_REGION");
        assertThat(aws.calls).isEmpty();
    }

    // ---- diff ---------------------------------------------------------------------------------------------

    @Test
    void diff_deployedStack_printsEachChangeWithItsReplacementFlag_andDeletesTheChangeSet() {
        aws.bucket(BUCKET);
        aws.stack(STACK, "UPDATE_COMPLETE", olderTemplate());
        aws.replacements.put("OrdersA9B65338", "True");

        var out = run(Target.DIFF, TestApp.SMALL.cached());

        assertThat(aws.calls("cloudformation", "CreateChangeSet")).singleElement()
                .satisfies(c -> assertThat(c.param("ChangeSetType")).isEqualTo("UPDATE"));
        assertThat(out).containsPattern("Modify\\s+OrdersA9B65338\\s+AWS::S3::Bucket\\s+True")
                .containsPattern("Add\\s+ScratchF72D2ED6\\s+AWS::S3::Bucket\\s+-")
                .containsPattern("Remove\\s+Legacy\\s+AWS::SNS::Topic\\s+-");
        assertThat(aws.actions("cloudformation")).contains("DeleteChangeSet").doesNotContain("ExecuteChangeSet");
        assertThat(aws.changeSets).isEmpty();
        assertThat(aws.calls("s3", "PutObject")).as("a diff uploads nothing").isEmpty();
    }

    @Test
    void diff_replacementFlags_falseAndConditional_arePrintedAsGiven() {
        aws.bucket(BUCKET);
        aws.stack(STACK, "UPDATE_COMPLETE", olderTemplate());
        aws.replacements.put("OrdersA9B65338", "Conditional");

        var out = run(Target.DIFF, TestApp.SMALL.cached());

        assertThat(out).containsPattern("Modify\\s+OrdersA9B65338\\s+AWS::S3::Bucket\\s+Conditional");
    }

    @Test
    void diff_noStackYet_listsEveryResourceAsAdd_withoutCreatingAStack() {
        aws.bucket(BUCKET);

        var out = run(Target.DIFF, TestApp.SMALL.cached());

        assertThat(out).contains("does not exist yet")
                .containsPattern("Add\\s+OrdersA9B65338\\s+AWS::S3::Bucket")
                .containsPattern("Add\\s+ScratchF72D2ED6\\s+AWS::S3::Bucket");
        assertThat(aws.actions("cloudformation")).containsExactly("DescribeStacks");
        assertThat(aws.stacks).isEmpty();
    }

    @Test
    void diff_stackWhoseCreationFailed_listsEveryResourceAsAdd_withoutChangeSet() {
        aws.bucket(BUCKET);
        aws.stack(STACK, "ROLLBACK_COMPLETE", olderTemplate());

        var out = run(Target.DIFF, TestApp.SMALL.cached());

        assertThat(out).containsPattern("Add\\s+OrdersA9B65338").containsPattern("Add\\s+ScratchF72D2ED6");
        assertThat(aws.actions("cloudformation")).containsExactly("DescribeStacks");
    }

    @Test
    void diff_unchanged_printsNoChanges() {
        aws.bucket(BUCKET);
        aws.stack(STACK, "UPDATE_COMPLETE", TestApp.SMALL.template());

        var out = run(Target.DIFF, TestApp.SMALL.cached());

        assertThat(out).contains("no changes");
        assertThat(aws.changeSets).isEmpty();
    }

    // ---- destroy ------------------------------------------------------------------------------------------

    @Test
    void destroy_withYes_deletesTheStack_streamsEvents_andNamesWhatIsRetained() {
        var stack = aws.stack(STACK, "UPDATE_COMPLETE", TestApp.SMALL.template());

        var out = run(Target.DESTROY, TestApp.SMALL.cached(), c -> c.yes(true));

        assertThat(aws.calls("cloudformation", "DeleteStack")).singleElement()
                .satisfies(c -> assertThat(c.param("StackName")).isEqualTo(stack.id));
        assertThat(stack.status).isEqualTo("DELETE_COMPLETE");
        assertThat(out).contains("DELETE_SKIPPED", "Stack orderflow-test deleted.")
                .contains("Retained (DeletionPolicy Retain")
                .containsPattern("OrdersA9B65338 \\(AWS::S3::Bucket\\) orderflow-test-ordersa9b65338");
        assertThat(out.substring(out.indexOf("Retained ("))).doesNotContain("ScratchF72D2ED6");
    }

    @Test
    void destroy_withoutYes_andNoConsole_refuses_andDeletesNothing() {
        var stack = aws.stack(STACK, "UPDATE_COMPLETE", TestApp.SMALL.template());

        assertThatThrownBy(() -> run(Target.DESTROY, TestApp.SMALL.cached(), c -> c.yes(false).interactive(false)))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("Refusing to destroy orderflow-test")
                .hasMessageContaining("-Dyes");
        assertThat(aws.actions("cloudformation")).doesNotContain("DeleteStack");
        assertThat(stack.status).isEqualTo("UPDATE_COMPLETE");
    }

    @Test
    void destroy_interactive_deletesOnlyWhenTheStackNameIsTyped() {
        var stack = aws.stack(STACK, "UPDATE_COMPLETE", TestApp.SMALL.template());

        assertThatThrownBy(() -> run(Target.DESTROY, TestApp.SMALL.cached(), c -> c.interactive(true)
                .in(new ByteArrayInputStream("yes\n".getBytes(StandardCharsets.UTF_8)))))
                .hasMessageContaining("Not confirmed");
        assertThat(aws.actions("cloudformation")).doesNotContain("DeleteStack");

        var out = run(Target.DESTROY, TestApp.SMALL.cached(), c -> c.interactive(true)
                .in(new ByteArrayInputStream((STACK + "\n").getBytes(StandardCharsets.UTF_8))));

        assertThat(out).contains("Type the stack name to confirm");
        assertThat(stack.status).isEqualTo("DELETE_COMPLETE");
    }

    @Test
    void destroy_noStack_saysThereIsNothingToDestroy() {
        var out = run(Target.DESTROY, TestApp.SMALL.cached(), c -> c.yes(true));

        assertThat(out).contains("does not exist").contains("nothing to destroy");
        assertThat(aws.actions("cloudformation")).containsExactly("DescribeStacks");
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** The small app's template as an earlier version deployed it: one bucket changed, one missing, one gone since. */
    static String olderTemplate() {
        try {
            var mapper = new ObjectMapper();
            var template = (ObjectNode) mapper.readTree(TestApp.SMALL.template());
            var resources = (ObjectNode) template.get("Resources");
            resources.remove("ScratchF72D2ED6");
            ((ObjectNode) resources.get("OrdersA9B65338")).putObject("Properties").put("BucketName", "old-name");
            resources.putObject("Legacy").put("Type", "AWS::SNS::Topic");
            return mapper.writeValueAsString(template);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String body(AwsStub.Call call) {
        return new String(call.body(), StandardCharsets.UTF_8);
    }

    static java.util.List<String> unzippedNames(byte[] zip) {
        var names = new java.util.ArrayList<String>();
        try (var in = new java.util.zip.ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return names;
    }

    static int indexOf(java.util.List<String> lines, String first, String second) {
        for (var i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(first) && lines.get(i).contains(second)) {
                return i;
            }
        }
        throw new AssertionError("no line with " + first + " and " + second + " in " + lines);
    }
}
