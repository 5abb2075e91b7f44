package com.orderflow.cdk.deploy;

import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awscdk.AssetStaging;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Runs the npm-free AWS targets ({@code synth}, {@code bootstrap}, {@code diff}, {@code deploy}, {@code destroy})
 * for one stage: {@code Deployer <target> --stage=<stage> [--yes] [--project-root=<dir>]}.
 */
public final class Deployer {

    private final DeployerConfig config;

    public Deployer(DeployerConfig config) {
        this.config = config;
    }

    public static void main(String[] args) {
        int status;
        var stderr = System.err;
        // jsii's Node process writes through System.err: its seventeen-line version notice becomes one line
        System.setErr(NodeNoticeFilter.around(stderr));
        try {
            status = run(args, config(args));
        } catch (DeployException e) {
            System.err.println("ERROR: " + e.getMessage());
            status = 1;
        } catch (RuntimeException e) {
            // a bug or an unforeseen state: keep the trace, it is what a bug report needs
            e.printStackTrace();
            System.err.println("ERROR: unexpected failure (" + e + "): see the trace above");
            status = 1;
        } finally {
            System.err.flush();
            System.setErr(stderr);
        }
        System.out.flush();
        // exec:java runs us inside Maven: a non-zero exit must fail the build, zero must not end Maven early
        if (status != 0) {
            System.exit(status);
        }
    }

    static DeployerConfig config(String[] args) {
        var stage = "dev";
        var yes = isSet(System.getProperty("yes"));
        var projectRoot = Path.of("..");
        for (var arg : args) {
            if (arg.startsWith("--stage=")) {
                stage = arg.substring("--stage=".length());
            } else if (arg.equals("--yes")) {
                yes = true;
            } else if (arg.startsWith("--project-root=")) {
                projectRoot = Path.of(arg.substring("--project-root=".length()));
            }
        }
        var root = projectRoot.toAbsolutePath().normalize();
        // absolute: exec:java runs inside Maven's JVM, whose working directory is wherever mvn was started
        return DeployerConfig.fromEnvironment(stage)
                .source(new OrderflowAssemblySource(root))
                .assemblyDir(root.resolve("cdk/cdk.out"))
                .outputsDir(root)
                .yes(yes)
                .build();
    }

    private static boolean isSet(String property) {
        return property != null && !property.equalsIgnoreCase("false");
    }

    /** Runs the target named in {@code args[0]}; returns the process exit status. */
    static int run(String[] args, DeployerConfig config) {
        if (args.length == 0 || args[0].startsWith("--")) {
            throw new DeployException("Name a target: synth, bootstrap, diff, deploy or destroy (e.g. mvn -Pdeploy -Dstage=dev)");
        }
        new Deployer(config).run(Target.parse(args[0]));
        return 0;
    }

    /** Runs one target; failures surface as a {@link DeployException} with a one-line fix. */
    public void run(Target target) {
        try {
            switch (target) {
                case SYNTH -> synth();
                case BOOTSTRAP -> bootstrap();
                case DIFF -> diff();
                case DEPLOY -> deploy();
                case DESTROY -> destroy();
            }
        } catch (SdkServiceException e) {
            if (e.isThrottlingException()) {
                throw new DeployException("AWS throttled the deployer (" + errorCode(e) + "), and the SDK's retries did not"
                        + " outlast it: wait a minute, then run again (other deploys in this account share the limit)", e);
            }
            var hint = e.statusCode() == 403
                    ? " -- check the IAM permissions listed in the README's Deploy to AWS section"
                    : " -- fix what the message names, then run again";
            throw new DeployException("AWS refused a request (" + e.statusCode() + "): " + describe(e) + hint, e);
        } catch (SdkClientException e) {
            throw new DeployException("Talking to AWS failed: " + e.getMessage() + " -- check your network, then retry", e);
        }
    }

    /** The error as the SDK read it, or the raw answer when it could not (an emulator's error in another format). */
    private static String describe(SdkServiceException e) {
        if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException aws && aws.awsErrorDetails() != null
                && (aws.awsErrorDetails().errorMessage() == null || aws.awsErrorDetails().errorMessage().isBlank())
                && aws.awsErrorDetails().rawResponse() != null) {
            var raw = aws.awsErrorDetails().rawResponse().asUtf8String().strip().replaceAll("\\s+", " ");
            return "an answer the SDK could not read: " + (raw.length() > 300 ? raw.substring(0, 300) + "..." : raw);
        }
        return e.getMessage();
    }

    private static String errorCode(SdkServiceException e) {
        if (e instanceof software.amazon.awssdk.awscore.exception.AwsServiceException aws && aws.awsErrorDetails() != null) {
            return aws.awsErrorDetails().errorCode() + ": " + aws.awsErrorDetails().errorMessage();
        }
        return String.valueOf(e.statusCode());
    }

    private CloudAssembly.StackArtifact synthesizeStack() {
        var dir = config.assemblyDir();
        clean(dir);
        config.out().println("Synthesizing " + config.stackName() + " into " + dir);
        // CDK remembers per process which assets it staged where; with the directory gone that memory is wrong
        AssetStaging.clearAssetHashCache();
        String stackName;
        try {
            stackName = config.source().synthesize(config.stage(), dir);
        } catch (DeployException e) {
            throw e;
        } catch (RuntimeException e) {
            var message = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
            throw new DeployException("Synthesis failed: " + message + " -- fix the CDK app (mvn -pl cdk verify runs"
                    + " its tests), then run again", e);
        }
        var stack = CloudAssembly.read(dir).stack(stackName);
        if (!stack.warnings().isEmpty()) {
            config.out().println(stack.warnings().size() + " warning(s):");
            stack.warnings().forEach(w -> config.out().println("  WARNING " + w));
        }
        if (!stack.errors().isEmpty()) {
            stack.errors().forEach(e -> config.out().println("  ERROR " + e));
            throw new DeployException("Synthesis reported " + stack.errors().size() + " error(s), listed above: fix them"
                    + " in the CDK app (or justify a cdk-nag suppression) and run again");
        }
        return stack;
    }

    /** Removes the previous assembly so old asset directories do not pile up; only a directory that is one. */
    private static void clean(Path dir) {
        if (!Files.isRegularFile(dir.resolve("manifest.json"))) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (var path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir, e);
        }
    }

    private void synth() {
        var stack = synthesizeStack();
        var template = stack.template();
        var out = config.out();
        out.println("Stack " + stack.stackName() + ": " + template.resources().size() + " resources ("
                + stack.templateFile() + ", " + AssetPublisher.humanSize(size(stack.templateFile())) + ")");
        template.countByType().forEach((type, count) -> out.println(String.format("  %4d  %s", count, type)));
    }

    private void bootstrap() {
        try (var session = AwsSession.open(config)) {
            config.out().println("Account " + session.account() + ", region " + session.region().id() + where(session));
            var bucket = new ToolkitStack(session, config.pollInterval(), config.out()).bootstrap(config.tlsOnlyAssets());
            config.out().println("Bootstrapped: bucket " + bucket + " of toolkit stack " + ToolkitStack.NAME
                    + " is ready for deploys");
        }
    }

    private void deploy() {
        var started = System.nanoTime();
        try (var session = AwsSession.open(config)) {
            var out = config.out();
            out.println("Deploying " + config.stackName() + " to account " + session.account() + ", region "
                    + session.region().id() + " as " + session.callerArn() + where(session));
            var bucket = new ToolkitStack(session, config.pollInterval(), out).assetsBucket(config.stage());
            var stack = synthesizeStack();
            publishAssets(session, stack, bucket.name());
            var deployment = new StackDeployment(session.cloudFormation(), session.s3(), bucket.name(),
                    config.stackName(), config.pollInterval(), out);
            var result = deployment.deploy(read(stack.templateFile()));
            if (result instanceof StackDeployment.Result.Deployed(var status, var outputs, var stackId, var elapsed)) {
                out.println();
                out.println("Stack " + config.stackName() + " " + status + " (deployment " + seconds(elapsed) + ")");
                printAndWriteOutputs(outputs);
                out.println("Stack ARN:");
                out.println("  " + stackId);
            }
            out.println("Total time: " + seconds(Duration.ofNanos(System.nanoTime() - started)));
        }
    }

    /** Names the endpoints when they are not AWS's, so that a deploy to an emulator never passes for one to AWS. */
    private static String where(AwsSession session) {
        return session.endpoints().isAws() ? "" : " at " + session.endpoints().describe();
    }

    private void publishAssets(AwsSession session, CloudAssembly.StackArtifact stack, String bucket) {
        if (stack.assetManifest() == null) {
            return;
        }
        var manifest = AssetManifest.read(stack.assetManifest(), session.account(), session.region().id());
        // the template itself is passed inline or uploaded by StackDeployment under a key that expires
        var assets = new AssetManifest(manifest.files().stream()
                .filter(a -> !a.source().normalize().equals(stack.templateFile().normalize()))
                .toList());
        assets.requireBucket(bucket);
        config.out().println("Publishing " + assets.files().size() + " file asset(s)");
        int uploaded;
        try {
            uploaded = new AssetPublisher(session.s3(), config.out()).publish(assets);
        } catch (DeployException e) {
            if (session.endpoints().s3PlainHttp() && e.getCause() instanceof S3Exception s3 && s3.statusCode() == 403) {
                throw new DeployException(e.getMessage() + "; over the plain-http endpoint " + session.endpoints().s3()
                        + " the bucket's TLS-only policy refuses every request: delete the bucket there and bootstrap"
                        + " again with -D" + DeployerConfig.TLS_ONLY_PROPERTY + "=false", e);
            }
            throw e;
        }
        config.out().println("  " + uploaded + " uploaded");
    }

    private void printAndWriteOutputs(Map<String, String> outputs) {
        var out = config.out();
        out.println("Outputs:");
        outputs.forEach((key, value) -> out.println("  " + config.stackName() + "." + key + " = " + value));
        var file = config.outputsDir().resolve("cdk-outputs-" + config.stage() + ".json");
        try {
            Files.createDirectories(config.outputsDir());
            Files.writeString(file, CloudAssembly.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(Map.of(config.stackName(), outputs)) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        out.println("Outputs written to " + file.toAbsolutePath().normalize());
    }

    private void diff() {
        try (var session = AwsSession.open(config)) {
            var bucket = new ToolkitStack(session, config.pollInterval(), config.out()).assetsBucket(config.stage());
            var stack = synthesizeStack();
            new StackDeployment(session.cloudFormation(), session.s3(), bucket.name(), config.stackName(),
                    config.pollInterval(), config.out())
                    .diff(read(stack.templateFile()), stack.template());
        }
    }

    private void destroy() {
        try (var session = AwsSession.open(config)) {
            var out = config.out();
            // a delete uploads nothing, so it needs no assets bucket
            var deployment = new StackDeployment(session.cloudFormation(), session.s3(), null, config.stackName(),
                    config.pollInterval(), out);
            if (deployment.find().isEmpty()) {
                out.println("Stack " + config.stackName() + " does not exist in account " + session.account() + ", region "
                        + session.region().id() + ": nothing to destroy");
                return;
            }
            confirm(session);
            var retained = deployment.destroy();
            out.println("Stack " + config.stackName() + " deleted.");
            if (retained.isEmpty()) {
                out.println("Nothing was retained.");
            } else {
                out.println("Retained (DeletionPolicy Retain: still in your account, with their data):");
                retained.forEach(r -> out.println("  " + r));
                out.println("Delete them by hand when no longer needed (one with a fixed name, such as a bucket,"
                        + " blocks a new deploy of this stage until it is gone).");
            }
            out.println("Toolkit stack " + ToolkitStack.NAME + " (the assets bucket) is left in place, as cdk destroy"
                    + " leaves CDKToolkit: every stage in this account and region deploys from it.");
        }
    }

    private void confirm(AwsSession session) {
        if (config.yes()) {
            return;
        }
        if (!config.interactive()) {
            throw new DeployException("Refusing to destroy " + config.stackName() + " without confirmation: no console"
                    + " to ask on (CI?). Re-run with -Dyes: mvn -Pdestroy -Dstage=" + config.stage() + " -Dyes");
        }
        config.out().print("This deletes stack " + config.stackName() + " in account " + session.account() + ", region "
                + session.region().id() + ". Type the stack name to confirm: ");
        config.out().flush();
        String answer;
        try {
            answer = new BufferedReader(new InputStreamReader(config.in(), StandardCharsets.UTF_8)).readLine();
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.trim().equals(config.stackName())) {
            throw new DeployException("Not confirmed: stack " + config.stackName() + " left as it is");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static String seconds(Duration elapsed) {
        return String.format(java.util.Locale.ROOT, "%.1f s", elapsed.toMillis() / 1000.0);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
