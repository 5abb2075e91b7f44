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

/**
 * What moto cannot make happen, through the real AWS SDK against {@link AwsStub}: failed and rolled-back deploys,
 * a stack stuck in UPDATE_ROLLBACK_FAILED or busy, throttling, expired or missing credentials (with proof that no
 * request was sent), per-resource events across pages, replacement flags. Everything else runs against moto in
 * {@link DeployerMotoTest} and {@link MotoDeployTest}.
 */
class DeployerFailureTest {

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


    // ---- deploy -------------------------------------------------------------------------------------------

    @Test
    void deploy_printsOneLinePerEventLikeCdk_oldestFirst_thenASummaryWithOutputsAndTimes() {
        aws.bootstrapped(BUCKET);

        var out = run(Target.DEPLOY, TestApp.SMALL.cached());

        // stack | done/total | time | status | type | logical id [reason]; three pages of stub events, each once
        var lines = out.lines().filter(l -> l.startsWith("orderflow-test | ")).toList();
        assertThat(lines).hasSize(6);
        assertThat(lines.getFirst()).matches("orderflow-test \\| 0/3 \\| \\d\\d:\\d\\d:\\d\\d \\| CREATE_IN_PROGRESS\\s+"
                + "\\| AWS::CloudFormation::Stack\\s+\\| orderflow-test User Initiated");
        assertThat(lines).filteredOn(l -> l.contains("| CREATE_COMPLETE ") && l.endsWith("| OrdersA9B65338")).hasSize(1);
        assertThat(lines.getLast()).matches("orderflow-test \\| 3/3 \\| \\d\\d:\\d\\d:\\d\\d \\| CREATE_COMPLETE\\s+"
                + "\\| AWS::CloudFormation::Stack\\s+\\| orderflow-test");
        assertThat(out).containsPattern("Stack orderflow-test CREATE_COMPLETE \\(deployment \\d+\\.\\d s\\)\\nOutputs:\\n"
                        + "  orderflow-test\\.OrdersBucketName = orderflow-test-ordersa9b65338\\n")
                .containsPattern("Stack ARN:\\n  arn:aws:cloudformation:eu-west-1:123456789012:stack/orderflow-test/")
                .containsPattern("Total time: \\d+\\.\\d s\\n$");
    }

    @Test
    void deploy_stackInRollbackComplete_isDeletedFirst_thenCreated() {
        aws.bootstrapped(BUCKET);
        var failed = aws.stack(STACK, "ROLLBACK_COMPLETE", TestApp.olderTemplate());

        var out = run(Target.DEPLOY, TestApp.SMALL.cached());

        assertThat(aws.actions("cloudformation")).containsSubsequence("DeleteStack", "CreateChangeSet", "ExecuteChangeSet");
        assertThat(aws.calls("cloudformation", "DeleteStack").getFirst().param("StackName")).isEqualTo(failed.id);
        assertThat(aws.calls("cloudformation", "CreateChangeSet").getFirst().param("ChangeSetType")).isEqualTo("CREATE");
        assertThat(failed.status).isEqualTo("DELETE_COMPLETE");
        assertThat(out).contains("ROLLBACK_COMPLETE", "deleting it", "Stack orderflow-test CREATE_COMPLETE");
    }

    @Test
    void deploy_resourceFails_reportsTheFirstFailure_andFails() {
        aws.bootstrapped(BUCKET);
        aws.failingResource = "ScratchF72D2ED6";
        aws.failureReason = "Resource handler returned message: \"Bucket name already taken\"";

        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached()))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("ROLLBACK_COMPLETE")
                .hasMessageContaining("ScratchF72D2ED6: Resource handler returned message: \"Bucket name already taken\"");
        assertThat(printed()).containsPattern("Failed resource \\(the first; later failures follow from it\\):\\n"
                + "  orderflow-test \\| \\d/3 \\| \\d\\d:\\d\\d:\\d\\d \\| CREATE_FAILED\\s+\\| AWS::S3::Bucket\\s+\\| "
                + "ScratchF72D2ED6 Resource handler returned message: \"Bucket name already taken\"\\n");
        assertThat(work.resolve("cdk-outputs-test.json")).doesNotExist();
    }

    @Test
    void deploy_stackBusy_refusesWithoutTouchingIt() {
        aws.bootstrapped(BUCKET);
        aws.stack(STACK, "UPDATE_IN_PROGRESS", TestApp.olderTemplate());

        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached()))
                .hasMessageContaining("busy (UPDATE_IN_PROGRESS)");
        assertThat(aws.actions("cloudformation")).doesNotContain("CreateChangeSet", "DeleteStack");
    }

    @Test
    void deploy_updateFails_rollsBack_andNamesTheFirstFailure() {
        aws.bootstrapped(BUCKET);
        aws.stack(STACK, "UPDATE_COMPLETE", TestApp.olderTemplate());
        aws.failingResource = "ScratchF72D2ED6";
        aws.failureReason = "Resource handler returned message: \"Access Denied\"";

        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached()))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("is UPDATE_ROLLBACK_COMPLETE")
                .hasMessageContaining("ScratchF72D2ED6: Resource handler returned message: \"Access Denied\"");
        assertThat(printed()).contains("UPDATE_FAILED", "UPDATE_ROLLBACK_COMPLETE");
    }

    @Test
    void deploy_rollbackItselfFails_leavesUpdateRollbackFailed_andNamesContinueUpdateRollback() {
        aws.bootstrapped(BUCKET);
        aws.stack(STACK, "UPDATE_COMPLETE", TestApp.olderTemplate());
        aws.failingResource = "ScratchF72D2ED6";
        aws.failureReason = "Resource handler returned message: \"Access Denied\"";
        aws.rollbackFails = true;

        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached()))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("is UPDATE_ROLLBACK_FAILED")
                .hasMessageContaining("aws cloudformation continue-update-rollback --stack-name orderflow-test");
    }

    @Test
    void deploy_stackStuckInUpdateRollbackFailed_refusesNamingContinueUpdateRollback() {
        aws.bootstrapped(BUCKET);
        aws.stack(STACK, "UPDATE_ROLLBACK_FAILED", TestApp.olderTemplate());

        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached()))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("UPDATE_ROLLBACK_FAILED")
                .hasMessageContaining("aws cloudformation continue-update-rollback --stack-name orderflow-test");
        assertThat(aws.actions("cloudformation")).doesNotContain("CreateChangeSet", "DeleteStack");
    }

    @Test
    void deploy_throttledBriefly_isRetriedBySdk_andCompletes() {
        aws.bootstrapped(BUCKET);
        aws.throttle("DescribeStackEvents", 2);

        var out = run(Target.DEPLOY, TestApp.SMALL.cached());

        assertThat(out).contains("Stack orderflow-test CREATE_COMPLETE");
        assertThat(aws.throttled).isEqualTo(2);
    }

    @Test
    void deploy_throttledPersistently_failsSayingSo_notBlamingPermissions() {
        aws.bootstrapped(BUCKET);
        aws.throttle("CreateChangeSet", 100);

        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached()))
                .isInstanceOf(DeployException.class)
                .hasMessageStartingWith("AWS throttled the deployer (Throttling: Rate exceeded)")
                .hasMessageNotContaining("IAM");
    }

    @Test
    void deploy_errorTheSdkCannotRead_isShownRaw_notBlamedOnPermissions() {
        aws.bootstrapped(BUCKET);
        aws.jsonErrorAction = "ExecuteChangeSet";

        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached()))
                .isInstanceOf(DeployException.class)
                .hasMessage("AWS refused a request (400): an answer the SDK could not read: {\"__type\":"
                        + " \"BadRequestException\", \"message\": \"The REST API doesn't contain any methods\"}"
                        + " -- fix what the message names, then run again");
    }

    @Test
    void deploy_accessDenied_pointsAtThePermissions() {
        aws.bootstrapped(BUCKET);
        aws.deniedAction = "CreateChangeSet";

        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached()))
                .isInstanceOf(DeployException.class)
                .hasMessageStartingWith("AWS refused a request (403): User is not authorized to perform: cloudformation:CreateChangeSet")
                .hasMessageEndingWith("check the IAM permissions listed in the README's Deploy to AWS section");
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
        aws.bootstrapped(BUCKET);
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
    void anyTarget_withoutRegion_failsNamingAwsRegion() {
        assertThatThrownBy(() -> run(Target.DEPLOY, TestApp.SMALL.cached(), c -> c.region(() -> {
            throw software.amazon.awssdk.core.exception.SdkClientException.create("Unable to load region from any of the providers in the chain");
        }))).isInstanceOf(DeployException.class).hasMessageStartingWith("No AWS region: set AWS_REGION");
        assertThat(aws.calls).isEmpty();
    }

    // ---- diff ---------------------------------------------------------------------------------------------

    @Test
    void diff_deployedStack_printsEachChangeWithItsReplacementFlag_andDeletesTheChangeSet() {
        aws.bootstrapped(BUCKET);
        aws.stack(STACK, "UPDATE_COMPLETE", TestApp.olderTemplate());
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
        aws.bootstrapped(BUCKET);
        aws.stack(STACK, "UPDATE_COMPLETE", TestApp.olderTemplate());
        aws.replacements.put("OrdersA9B65338", "Conditional");

        var out = run(Target.DIFF, TestApp.SMALL.cached());

        assertThat(out).containsPattern("Modify\\s+OrdersA9B65338\\s+AWS::S3::Bucket\\s+Conditional");
    }

    @Test
    void diff_stackWhoseCreationFailed_listsEveryResourceAsAdd_withoutChangeSet() {
        aws.bootstrapped(BUCKET);
        aws.stack(STACK, "ROLLBACK_COMPLETE", TestApp.olderTemplate());

        var out = run(Target.DIFF, TestApp.SMALL.cached());

        assertThat(out).containsPattern("Add\\s+OrdersA9B65338").containsPattern("Add\\s+ScratchF72D2ED6");
        assertThat(aws.calls("cloudformation")).as("the toolkit's outputs, then the stack, and nothing else")
                .extracting(c -> c.action() + " " + c.param("StackName"))
                .containsExactly("DescribeStacks " + ToolkitStack.NAME, "DescribeStacks " + STACK);
    }


}
