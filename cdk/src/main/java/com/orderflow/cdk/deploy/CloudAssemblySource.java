package com.orderflow.cdk.deploy;

import java.nio.file.Path;

/** Synthesizes the CDK app of one stage in-process into a cloud assembly directory (what {@code cdk synth} writes). */
@FunctionalInterface
public interface CloudAssemblySource {

    /** Writes the cloud assembly for {@code stage} into {@code outdir} and returns the stack name to deploy. */
    String synthesize(String stage, Path outdir);
}
