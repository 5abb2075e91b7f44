package com.orderflow.local.s3;

/** A bucket's versioning state: never enabled, enabled, or suspended after having been enabled. */
enum Versioning {
    UNVERSIONED, ENABLED, SUSPENDED;

    /** The word S3 uses in a VersioningConfiguration's Status, or null for a bucket never versioned. */
    String status() {
        return switch (this) {
            case UNVERSIONED -> null;
            case ENABLED -> "Enabled";
            case SUSPENDED -> "Suspended";
        };
    }
}
