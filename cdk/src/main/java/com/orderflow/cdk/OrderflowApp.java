package com.orderflow.cdk;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.orderflow.cdk.rollout.DeployStrategy;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * The CDK app: reads the stage and builds the one {@link OrderflowStack}; the deployer calls {@link #build}
 * to synthesize in-process.
 */
public final class OrderflowApp {

    /**
     * Feature flags pinned here because there is no cdk.json: the in-process synth must give the same
     * template as any other synth of this app.
     */
    static final Map<String, Object> FEATURE_FLAGS = Map.of(
            // access-log delivery through a bucket policy; ACLs are disabled on new buckets
            "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true,
            "@aws-cdk/aws-s3:createDefaultLoggingPolicy", true,
            // one merged statement per action set instead of one per grant
            "@aws-cdk/aws-iam:minimizePolicies", true);

    private OrderflowApp() {
    }

    /** An app holding the orderflow stack for {@code config}; call {@code synth()} on it to write the assembly. */
    public static App build(AppConfig config) {
        var props = AppProps.builder()
                .context(FEATURE_FLAGS)
                // no AWS::CDK::Metadata resource: the template stays what template-notes.md describes
                .analyticsReporting(false);
        if (config.outdir() != null) {
            props.outdir(config.outdir().toString());
        }
        var app = new App(props.build());
        var effective = config;
        if (effective.blockedCountries().isEmpty()) {
            effective = effective.withBlockedCountries(contextList(app, "blockedCountries"));
        }
        if (effective.alarmEmail() == null && app.getNode().tryGetContext("alarmEmail") instanceof String email) {
            effective = effective.withAlarmEmail(email);
        }
        if (effective.deployStrategy() == DeployStrategy.CANARY
                && app.getNode().tryGetContext(DeployStrategy.PROPERTY) instanceof String strategy) {
            effective = effective.withDeployStrategy(DeployStrategy.parse(strategy));
        }
        if (effective.corsOrigins().isEmpty()) {
            effective = effective.withCorsOrigins(contextList(app, "corsOrigin"));
        }
        new OrderflowStack(app, effective);
        return app;
    }

    /**
     * Builds and synthesizes the app for {@code stage} into {@code outdir}, the way the deployer runs it in-process;
     * {@code -DblockedCountries}, {@code -DalarmEmail} and {@code -Dorderflow.deploy.strategy} apply as for {@link #main}.
     */
    public static CloudAssembly synthesize(String stage, Path outdir, Path projectRoot) {
        return build(fromSystemProperties(stage, projectRoot).withOutdir(outdir)).synth();
    }

    /**
     * {@code -Dstage=prod} or context {@code stage} (default dev); optional {@code blockedCountries}, {@code alarmEmail},
     * {@code orderflow.deploy.strategy} ({@code canary} or {@code all-at-once}) and {@code corsOrigin}
     * (comma-separated origins allowed to call the API).
     */
    public static void main(String[] args) {
        var stage = firstNonBlank(System.getProperty("stage"), contextString("stage"), AppConfig.DEFAULT_STAGE);
        var root = projectRoot();
        var config = fromSystemProperties(stage, root);
        // the CDK CLI names the output directory in CDK_OUTDIR; run directly, the assembly goes to cdk/cdk.out
        if (System.getenv("CDK_OUTDIR") == null) {
            config = config.withOutdir(root.resolve("cdk/cdk.out"));
        }
        var started = System.nanoTime();
        var assembly = build(config).synth();
        System.out.printf("synthesized %s into %s in %d ms%n", config.stackName(), assembly.getDirectory(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private static AppConfig fromSystemProperties(String stage, Path projectRoot) {
        return AppConfig.forStage(stage, projectRoot)
                .withBlockedCountries(AppConfig.parseCountries(System.getProperty("blockedCountries")))
                .withAlarmEmail(blankToNull(System.getProperty("alarmEmail")))
                .withDeployStrategy(DeployStrategy.parse(System.getProperty(DeployStrategy.PROPERTY)))
                .withCorsOrigins(commaSeparated(System.getProperty("corsOrigin")));
    }

    private static String contextString(String key) {
        // a throwaway app reads CDK_CONTEXT_JSON the way the CDK CLI passes -c key=value
        return new App(AppProps.builder().analyticsReporting(false).build()).getNode().tryGetContext(key) instanceof String s ? s : null;
    }

    private static List<String> contextList(App app, String key) {
        return switch (app.getNode().tryGetContext(key)) {
            case String s -> commaSeparated(s);
            case Collection<?> values -> values.stream().map(String::valueOf).toList();
            case null, default -> List.of();
        };
    }

    /** The repository root: {@code -Dorderflow.projectRoot}, else the nearest directory above the working directory holding {@code cdk/pom.xml}. */
    static Path projectRoot() {
        var explicit = System.getProperty("orderflow.projectRoot");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit).toAbsolutePath().normalize();
        }
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("cdk/pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the orderflow project root above " + Path.of("").toAbsolutePath()
                + "; pass -Dorderflow.projectRoot=<path>");
    }

    private static List<String> commaSeparated(String value) {
        return value == null || value.isBlank() ? List.of() : List.of(value.split(","));
    }

    private static String firstNonBlank(String... values) {
        for (var value : values) {
            if (value != null && !value.isBlank()) {
                return value.trim();
            }
        }
        return null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
