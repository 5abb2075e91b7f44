package com.orderflow.cdk.deploy;

import com.orderflow.cdk.AppConfig;
import com.orderflow.cdk.OrderflowApp;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Synthesizes the orderflow CDK app in-process, as {@code cdk synth} would: same app factory, same assembly layout.
 * Optional {@code -DblockedCountries=..} and {@code -DalarmEmail=..} are read as the app's own main reads them.
 */
final class OrderflowAssemblySource implements CloudAssemblySource {

    private final Path projectRoot;

    OrderflowAssemblySource(Path projectRoot) {
        this.projectRoot = projectRoot;
    }

    @Override
    public String synthesize(String stage, Path outdir) {
        AppConfig config;
        try {
            config = AppConfig.forStage(stage, projectRoot)
                    .withOutdir(outdir.toAbsolutePath())
                    .withBlockedCountries(AppConfig.parseCountries(System.getProperty("blockedCountries")))
                    .withAlarmEmail(blankToNull(System.getProperty("alarmEmail")));
        } catch (IllegalArgumentException e) {
            throw new DeployException("Invalid app settings: " + e.getMessage());
        }
        if (!Files.isRegularFile(config.lambdaJar())) {
            throw new DeployException("The Lambda jar " + config.lambdaJar() + " is missing: run the target from the"
                    + " project root (mvn -Pdeploy -Dstage=" + stage + ") so that functions/ is built first");
        }
        OrderflowApp.build(config).synth();
        return config.stackName();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
