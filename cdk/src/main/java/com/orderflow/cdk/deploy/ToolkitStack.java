package com.orderflow.cdk.deploy;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.services.cloudformation.model.Stack;

/**
 * The toolkit stack, one per account and region, as {@code cdk bootstrap} deploys {@code CDKToolkit}: bootstrap
 * creates or updates it from {@link ToolkitTemplate}, and every deploy reads the assets bucket from its outputs.
 * {@code destroy} never deletes it: the stages of the account and region share it.
 */
final class ToolkitStack {

    /** Capitalised like CDKToolkit, so that no stage's stack ({@code orderflow-<lowercase>}) can share its name. */
    static final String NAME = "OrderflowToolkit";

    private final AwsSession session;
    private final PrintStream out;
    private final StackDeployment deployment;

    ToolkitStack(AwsSession session, Duration pollInterval, PrintStream out) {
        this.session = session;
        this.out = out;
        // the toolkit template is passed inline (about 3 KB), so no bucket is needed to deploy it
        this.deployment = new StackDeployment(session.cloudFormation(), session.s3(), null, NAME, pollInterval, out);
    }

    /** Creates the stack, or brings it up to date (no change when it is); returns the assets bucket's name. */
    String bootstrap(boolean tlsOnlyRequested) {
        var tlsOnly = AssetsBucket.tlsOnly(session.endpoints(), tlsOnlyRequested);
        var expectedBucket = AssetsBucket.nameFor(session.account(), session.region().id());
        if (deployment.find().isEmpty() && new AssetsBucket(session.s3(), expectedBucket).exists()) {
            // CloudFormation would fail the create on the name after minutes; this says why at once
            throw new DeployException("Bucket " + expectedBucket + " exists, but no toolkit stack " + NAME + " holds it"
                    + " (an earlier bootstrap created it through S3 directly): empty and delete it (aws s3 rb s3://"
                    + expectedBucket + " --force, after removing its old object versions), then bootstrap again;"
                    + " the next deploy uploads the assets anew");
        }
        out.println("Toolkit stack " + NAME + ": assets bucket " + expectedBucket + " (SSE-S3, public access blocked,"
                + " versioned, old versions expire after " + ToolkitTemplate.NONCURRENT_EXPIRY_DAYS
                + " days, uploaded templates after " + ToolkitTemplate.TEMPLATE_EXPIRY_DAYS + " days)");
        out.println(AssetsBucket.policyLine(tlsOnly));
        var result = deployment.deploy(ToolkitTemplate.json(tlsOnly));
        if (result instanceof StackDeployment.Result.Deployed deployed) {
            out.println("Toolkit stack " + NAME + " " + deployed.status() + " (" + Deployer.seconds(deployed.elapsed()) + ")");
        }
        var outputs = outputs(deployment.find().orElseThrow());
        out.println("Outputs:");
        outputs.forEach((key, value) -> out.println("  " + NAME + "." + key + " = " + value));
        return bucketOf(outputs, "CloudFormation reported none for the stack just deployed");
    }

    /**
     * The assets bucket the deployed toolkit stack names, which must still exist (it outlives the stack, and hands
     * can delete it); fails with the bootstrap command when there is none.
     */
    AssetsBucket assetsBucket(String stage) {
        var bootstrap = "run `mvn -Pbootstrap -Dstage=" + stage + "` once for this account and region";
        var stack = deployment.find().orElseThrow(() -> new DeployException("Toolkit stack " + NAME
                + " does not exist in account " + session.account() + ", region " + session.region().id()
                + ", so there is no assets bucket to deploy from: " + bootstrap));
        var outputs = outputs(stack);
        var version = outputs.get(ToolkitTemplate.VERSION_OUTPUT);
        if (!outputs.containsKey(ToolkitTemplate.BUCKET_OUTPUT) || version == null || !version.matches("\\d{1,9}")) {
            throw new DeployException("Toolkit stack " + NAME + " is " + stack.stackStatusAsString() + " without the"
                    + " outputs " + ToolkitTemplate.BUCKET_OUTPUT + " and " + ToolkitTemplate.VERSION_OUTPUT + ": " + bootstrap);
        }
        if (Integer.parseInt(version) < ToolkitTemplate.VERSION) {
            throw new DeployException("Toolkit stack " + NAME + " is version " + version + ", this deployer needs "
                    + ToolkitTemplate.VERSION + ": " + bootstrap.replace("once", "again"));
        }
        var bucket = new AssetsBucket(session.s3(), bucketOf(outputs, bootstrap));
        if (!bucket.exists()) {
            throw new DeployException("Toolkit stack " + NAME + " names the assets bucket " + bucket.name() + ", which no"
                    + " longer exists: delete the stack (aws cloudformation delete-stack --stack-name " + NAME
                    + "), then run `mvn -Pbootstrap -Dstage=" + stage + "`");
        }
        out.println("Assets bucket " + bucket.name() + " (output of toolkit stack " + NAME + ")");
        return bucket;
    }

    private Map<String, String> outputs(Stack stack) {
        return StackOutputs.of(stack, session.cloudFormation(), session.endpoints(), out);
    }

    private static String bucketOf(Map<String, String> outputs, String fix) {
        var bucket = outputs.get(ToolkitTemplate.BUCKET_OUTPUT);
        if (bucket == null || bucket.isBlank()) {
            throw new DeployException("Toolkit stack " + NAME + " has no output " + ToolkitTemplate.BUCKET_OUTPUT
                    + " (" + fix + ")");
        }
        return bucket;
    }
}
