package com.orderflow.cdk.deploy;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The npm-free AWS targets, one per Maven profile. */
public enum Target {
    SYNTH, BOOTSTRAP, DIFF, DEPLOY, DESTROY;

    static Target parse(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DeployException("Unknown target '" + name + "': use one of "
                    + Arrays.stream(values()).map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
    }
}
