package com.orderflow.cdk.rollout;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import software.amazon.awscdk.services.codedeploy.ILambdaDeploymentConfig;
import software.amazon.awscdk.services.codedeploy.LambdaDeploymentConfig;

/**
 * How CodeDeploy moves each function's {@code live} alias to a new version: {@code -Dorderflow.deploy.strategy=}
 * {@code canary} (the default) or {@code all-at-once}.
 */
public enum DeployStrategy {
    /** 10 % of invocations on the new version for 5 minutes, then the rest, unless an alarm fires first. */
    CANARY("canary", LambdaDeploymentConfig.CANARY_10_PERCENT_5_MINUTES),
    /** Every invocation on the new version at once; the alarms still roll back a deployment that is in progress. */
    ALL_AT_ONCE("all-at-once", LambdaDeploymentConfig.ALL_AT_ONCE);

    public static final String PROPERTY = "orderflow.deploy.strategy";

    private final String name;
    private final ILambdaDeploymentConfig deploymentConfig;

    DeployStrategy(String name, ILambdaDeploymentConfig deploymentConfig) {
        this.name = name;
        this.deploymentConfig = deploymentConfig;
    }

    /** The value given on the command line; blank means the default, {@link #CANARY}. */
    public static DeployStrategy parse(String value) {
        if (value == null || value.isBlank()) {
            return CANARY;
        }
        var wanted = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.name.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("-D" + PROPERTY + " must be one of "
                        + Arrays.stream(values()).map(DeployStrategy::toString).collect(Collectors.joining(", "))
                        + " but was '" + value + "'"));
    }

    public ILambdaDeploymentConfig deploymentConfig() {
        return deploymentConfig;
    }

    @Override
    public String toString() {
        return name;
    }
}
