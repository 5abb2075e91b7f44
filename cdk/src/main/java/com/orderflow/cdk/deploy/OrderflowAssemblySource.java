package com.orderflow.cdk.deploy;

import java.nio.file.Path;

/** Synthesizes the orderflow CDK app in-process, exactly as {@code cdk synth} would. */
final class OrderflowAssemblySource implements CloudAssemblySource {

    private final Path projectRoot;

    OrderflowAssemblySource(Path projectRoot) {
        this.projectRoot = projectRoot;
    }

    @Override
    public String synthesize(String stage, Path outdir) {
        throw new DeployException("The orderflow CDK app is not wired into the deployer yet (project root " + projectRoot + ")");
    }
}
