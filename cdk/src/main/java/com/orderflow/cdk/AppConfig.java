package com.orderflow.cdk;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import com.orderflow.cdk.rollout.DeployStrategy;

/**
 * Everything the CDK app needs to know about one deployment: the stage, where the assets live and the
 * few knobs that differ between stages.
 *
 * @param stage            deployment stage ({@code dev}, {@code prod}, ...); names every resource {@code orderflow-<stage>-...}
 * @param projectRoot      the repository root
 * @param lambdaJar        the shaded Lambda jar used as the code asset of every function
 * @param stateMachineFile the ASL definition, used unchanged
 * @param outdir           where the cloud assembly is written; null for the CDK default ({@code cdk.out} or {@code CDK_OUTDIR})
 * @param account          target account, or null for an environment-agnostic template
 * @param region           target region, or null for an environment-agnostic template
 * @param blockedCountries ISO 3166-1 alpha-2 codes the WAF blocks; empty for no geo-blocking
 * @param apiRateLimit     API Gateway stage steady-state requests per second
 * @param apiBurstLimit    API Gateway stage burst
 * @param wafRateLimit     requests per IP in a 5-minute window before the WAF blocks that IP
 * @param alarmEmail       address subscribed to the alarm topic, or null
 * @param deployStrategy   how CodeDeploy shifts each function's {@code live} alias to a new version
 * @param corsOrigins      browser origins allowed to call the API ({@code https://shop.example.com}, {@code *}); empty
 *                         for none, the default: a deployed API names its front end rather than allow every page
 */
public record AppConfig(
        String stage,
        Path projectRoot,
        Path lambdaJar,
        Path stateMachineFile,
        Path outdir,
        String account,
        String region,
        List<String> blockedCountries,
        int apiRateLimit,
        int apiBurstLimit,
        int wafRateLimit,
        String alarmEmail,
        DeployStrategy deployStrategy,
        List<String> corsOrigins) {

    /** Stage names end up in function, log group and alarm names, so they stay short and lowercase (the deployer checks the same rule). */
    private static final Pattern STAGE = Pattern.compile("^[a-z][a-z0-9-]{0,14}$");
    private static final Pattern COUNTRY = Pattern.compile("^[A-Z]{2}$");

    public static final String DEFAULT_STAGE = "dev";
    public static final String PRODUCTION_STAGE = "prod";

    public AppConfig {
        Objects.requireNonNull(stage, "stage");
        Objects.requireNonNull(projectRoot, "projectRoot");
        Objects.requireNonNull(lambdaJar, "lambdaJar");
        Objects.requireNonNull(stateMachineFile, "stateMachineFile");
        Objects.requireNonNull(deployStrategy, "deployStrategy");
        if (!STAGE.matcher(stage).matches()) {
            throw new IllegalArgumentException("stage must match " + STAGE + " but was '" + stage + "'");
        }
        blockedCountries = normalizeCountries(blockedCountries);
        corsOrigins = corsOrigins == null ? List.of()
                : corsOrigins.stream().map(String::strip).filter(origin -> !origin.isEmpty()).toList();
        if (apiRateLimit <= 0 || apiBurstLimit <= 0) {
            throw new IllegalArgumentException("API throttling limits must be positive");
        }
        // WAF's minimum for a rate-based rule is 10 requests per evaluation window
        if (wafRateLimit < 10) {
            throw new IllegalArgumentException("wafRateLimit must be at least 10 but was " + wafRateLimit);
        }
    }

    private static List<String> normalizeCountries(List<String> countries) {
        if (countries == null) {
            return List.of();
        }
        var codes = new java.util.ArrayList<String>();
        for (var raw : countries) {
            var code = raw.trim().toUpperCase(Locale.ROOT);
            if (code.isEmpty()) {
                continue;
            }
            if (!COUNTRY.matcher(code).matches()) {
                throw new IllegalArgumentException("blocked country must be an ISO 3166-1 alpha-2 code but was '" + raw + "'");
            }
            codes.add(code);
        }
        return List.copyOf(codes);
    }

    /** The defaults for a stage: assets at their build locations under {@code projectRoot}, no geo-blocking. */
    public static AppConfig forStage(String stage, Path projectRoot) {
        var root = projectRoot.toAbsolutePath().normalize();
        var production = PRODUCTION_STAGE.equals(stage);
        return new AppConfig(
                stage,
                root,
                root.resolve("functions/target/orderflow-lambda.jar"),
                root.resolve("statemachine/order-workflow.asl.json"),
                null,
                null,
                null,
                List.of(),
                production ? 100 : 20,
                production ? 200 : 40,
                production ? 2000 : 500,
                null,
                DeployStrategy.CANARY, List.of());
    }

    /** Comma-separated country codes, as given on the command line or in CDK context. */
    public static List<String> parseCountries(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return List.of();
        }
        return List.of(commaSeparated.split(","));
    }

    public boolean isProduction() {
        return PRODUCTION_STAGE.equals(stage);
    }

    /** CloudFormation stack name, also the stack's construct id and its artifact id in the cloud assembly. */
    public String stackName() {
        return "orderflow-" + stage;
    }

    /** Physical name of an orderflow resource of this stage, e.g. {@code orderflow-dev-api}. */
    public String resourceName(String suffix) {
        return stackName() + "-" + suffix;
    }

    public AppConfig withLambdaJar(Path jar) {
        return new AppConfig(stage, projectRoot, jar, stateMachineFile, outdir, account, region, blockedCountries,
                apiRateLimit, apiBurstLimit, wafRateLimit, alarmEmail, deployStrategy, corsOrigins);
    }

    public AppConfig withStateMachineFile(Path file) {
        return new AppConfig(stage, projectRoot, lambdaJar, file, outdir, account, region, blockedCountries,
                apiRateLimit, apiBurstLimit, wafRateLimit, alarmEmail, deployStrategy, corsOrigins);
    }

    public AppConfig withOutdir(Path dir) {
        return new AppConfig(stage, projectRoot, lambdaJar, stateMachineFile, dir, account, region, blockedCountries,
                apiRateLimit, apiBurstLimit, wafRateLimit, alarmEmail, deployStrategy, corsOrigins);
    }

    public AppConfig withEnvironment(String targetAccount, String targetRegion) {
        return new AppConfig(stage, projectRoot, lambdaJar, stateMachineFile, outdir, targetAccount, targetRegion,
                blockedCountries, apiRateLimit, apiBurstLimit, wafRateLimit, alarmEmail, deployStrategy, corsOrigins);
    }

    public AppConfig withBlockedCountries(List<String> countries) {
        return new AppConfig(stage, projectRoot, lambdaJar, stateMachineFile, outdir, account, region, countries,
                apiRateLimit, apiBurstLimit, wafRateLimit, alarmEmail, deployStrategy, corsOrigins);
    }

    public AppConfig withDeployStrategy(DeployStrategy strategy) {
        return new AppConfig(stage, projectRoot, lambdaJar, stateMachineFile, outdir, account, region, blockedCountries,
                apiRateLimit, apiBurstLimit, wafRateLimit, alarmEmail, strategy, corsOrigins);
    }

    /** The limits that bound what one caller can make orderflow spend; they follow the stage. */
    public AbuseLimits abuseLimits() {
        return AbuseLimits.forStage(isProduction());
    }

    public AppConfig withAlarmEmail(String email) {
        return new AppConfig(stage, projectRoot, lambdaJar, stateMachineFile, outdir, account, region, blockedCountries,
                apiRateLimit, apiBurstLimit, wafRateLimit, email, deployStrategy, corsOrigins);
    }

    public AppConfig withCorsOrigins(List<String> origins) {
        return new AppConfig(stage, projectRoot, lambdaJar, stateMachineFile, outdir, account, region, blockedCountries,
                apiRateLimit, apiBurstLimit, wafRateLimit, alarmEmail, deployStrategy, origins);
    }
}
