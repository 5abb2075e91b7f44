package com.orderflow.cdk.deploy;

import com.orderflow.cdk.AppConfig;
import com.orderflow.cdk.OrderflowApp;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Synthesizes the orderflow CDK app in-process, as {@code cdk synth} would: same app factory, same assembly layout,
 * same {@code -DblockedCountries} / {@code -DalarmEmail} handling as the app's own main.
 */
final class OrderflowAssemblySource implements CloudAssemblySource {

    private final Path projectRoot;

    OrderflowAssemblySource(Path projectRoot) {
        this.projectRoot = projectRoot;
    }

    @Override
    public String synthesize(String stage, Path outdir) {
        var jar = AppConfig.forStage(stage, projectRoot).lambdaJar();
        // a missing jar would fail deep inside jsii with a path error; say how to get it instead
        if (!Files.isRegularFile(jar)) {
            throw new DeployException("The Lambda jar " + jar + " is missing: run the target from the project root"
                    + " (mvn -Pdeploy -Dstage=" + stage + ") so that functions/ is built first");
        }
        try {
            OrderflowApp.synthesize(stage, outdir.toAbsolutePath(), projectRoot);
        } catch (IllegalArgumentException e) {
            throw new DeployException("Invalid app settings: " + e.getMessage());
        }
        return "orderflow-" + stage;
    }
}
