package com.orderflow.cdk.deploy;

import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Everything a {@link Deployer} run depends on: the stage, where files go, how to reach AWS, and the terminal.
 *
 * @param stage             stage name, part of the stack name {@code orderflow-<stage>}
 * @param assemblyDir       where the cloud assembly is synthesized ({@code cdk.out})
 * @param outputsDir        where {@code cdk-outputs-<stage>.json} is written
 * @param source            the CDK app to synthesize
 * @param credentials       credentials provider (the SDK default chain: env, profiles, SSO, ...)
 * @param profileName       the profile the user selected, named in error messages; may be null
 * @param region            region provider
 * @param cloudFormationEndpoint endpoint override, or null for AWS
 * @param s3Endpoint        endpoint override (path-style), or null for AWS
 * @param stsEndpoint       endpoint override, or null for AWS
 * @param pollInterval      how often long operations are polled
 * @param tlsOnlyAssets     give the assets bucket its TLS-only policy on bootstrap; false only for a plain-http
 *                          endpoint of one's own ({@code -Dorderflow.assets.tlsOnly=false}), never for AWS
 * @param yes               skip the destroy confirmation
 * @param interactive       whether a person can answer a prompt on {@code in}
 * @param in                where confirmations are read from
 * @param out               where progress is printed
 */
public record DeployerConfig(
        String stage,
        Path assemblyDir,
        Path outputsDir,
        CloudAssemblySource source,
        AwsCredentialsProvider credentials,
        String profileName,
        AwsRegionProvider region,
        URI cloudFormationEndpoint,
        URI s3Endpoint,
        URI stsEndpoint,
        Duration pollInterval,
        boolean tlsOnlyAssets,
        boolean yes,
        boolean interactive,
        InputStream in,
        PrintStream out) {

    public DeployerConfig {
        Objects.requireNonNull(stage, "stage");
        if (!stage.matches("[a-z][a-z0-9-]{0,14}")) {
            throw new DeployException("Invalid stage '" + stage + "': use lowercase letters, digits and '-' (e.g. -Dstage=dev)");
        }
        Objects.requireNonNull(assemblyDir, "assemblyDir");
        Objects.requireNonNull(outputsDir, "outputsDir");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
    }

    /** The system property that turns the assets bucket's TLS-only policy off, for a plain-http endpoint only. */
    public static final String TLS_ONLY_PROPERTY = "orderflow.assets.tlsOnly";

    /** The stack every target works on. */
    public String stackName() {
        return "orderflow-" + stage;
    }

    /** A configuration reading the user's usual AWS setup: AWS_PROFILE, AWS_REGION, ~/.aws/config, SSO. */
    public static Builder fromEnvironment(String stage) {
        var profile = Optional.ofNullable(System.getProperty("aws.profile")).orElse(System.getenv("AWS_PROFILE"));
        return new Builder(stage)
                .credentials(DefaultCredentialsProvider.builder().build(), profile)
                .region(DefaultAwsRegionProviderChain.builder().build())
                .tlsOnlyAssets(!"false".equalsIgnoreCase(System.getProperty(TLS_ONLY_PROPERTY, "true").trim()))
                .interactive(hasTerminal())
                .in(System.in)
                .out(System.out);
    }

    /** A person can answer: a real terminal (JDK 22+ gives a console object even without one) and not CI. */
    private static boolean hasTerminal() {
        var console = System.console();
        return console != null && console.isTerminal() && System.getenv("CI") == null;
    }

    public static Builder builder(String stage) {
        return new Builder(stage);
    }

    /** Builds a {@link DeployerConfig}; tests point the endpoints at a loopback server. */
    public static final class Builder {
        private final String stage;
        private Path assemblyDir = Path.of("cdk.out");
        private Path outputsDir = Path.of(".");
        private CloudAssemblySource source;
        private AwsCredentialsProvider credentials;
        private String profileName;
        private AwsRegionProvider region;
        private URI cloudFormationEndpoint;
        private URI s3Endpoint;
        private URI stsEndpoint;
        private Duration pollInterval = Duration.ofSeconds(5);
        private boolean tlsOnlyAssets = true;
        private boolean yes;
        private boolean interactive;
        private InputStream in = InputStream.nullInputStream();
        private PrintStream out = System.out;

        private Builder(String stage) {
            this.stage = stage;
        }

        public Builder assemblyDir(Path dir) { this.assemblyDir = dir; return this; }
        public Builder outputsDir(Path dir) { this.outputsDir = dir; return this; }
        public Builder source(CloudAssemblySource source) { this.source = source; return this; }
        public Builder credentials(AwsCredentialsProvider provider, String profile) {
            this.credentials = provider;
            this.profileName = profile;
            return this;
        }
        public Builder region(AwsRegionProvider region) { this.region = region; return this; }
        public Builder cloudFormationEndpoint(URI uri) { this.cloudFormationEndpoint = uri; return this; }
        public Builder s3Endpoint(URI uri) { this.s3Endpoint = uri; return this; }
        public Builder stsEndpoint(URI uri) { this.stsEndpoint = uri; return this; }
        /** Points all three services at one endpoint (a local emulator). */
        public Builder endpoint(URI uri) { return cloudFormationEndpoint(uri).s3Endpoint(uri).stsEndpoint(uri); }
        public Builder pollInterval(Duration interval) { this.pollInterval = interval; return this; }
        public Builder tlsOnlyAssets(boolean tlsOnly) { this.tlsOnlyAssets = tlsOnly; return this; }
        public Builder yes(boolean yes) { this.yes = yes; return this; }
        public Builder interactive(boolean interactive) { this.interactive = interactive; return this; }
        public Builder in(InputStream in) { this.in = in; return this; }
        public Builder out(PrintStream out) { this.out = out; return this; }

        public DeployerConfig build() {
            return new DeployerConfig(stage, assemblyDir, outputsDir, source, credentials, profileName, region,
                    cloudFormationEndpoint, s3Endpoint, stsEndpoint, pollInterval, tlsOnlyAssets, yes, interactive, in, out);
        }
    }
}
