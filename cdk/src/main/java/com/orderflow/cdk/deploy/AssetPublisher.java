package com.orderflow.cdk.deploy;

import java.io.PrintStream;
import java.util.Locale;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Uploads a stack's file assets to their S3 destinations, skipping objects that are already there. */
public final class AssetPublisher {

    private final S3Client s3;
    private final PrintStream out;

    public AssetPublisher(S3Client s3, PrintStream out) {
        this.s3 = s3;
        this.out = out;
    }

    /** Publishes every asset; returns how many objects were uploaded. */
    public int publish(AssetManifest manifest) {
        var uploaded = 0;
        for (var asset : manifest.files()) {
            for (var destination : asset.destinations()) {
                var location = "s3://" + destination.bucket() + "/" + destination.key();
                // asset keys are content hashes: an existing object already holds these exact bytes
                if (exists(destination)) {
                    out.println("  asset " + shortId(asset.id()) + " already uploaded (" + location + ")");
                    continue;
                }
                var body = switch (asset.packaging()) {
                    case ZIP -> RequestBody.fromBytes(DeterministicZip.zip(asset.source()));
                    case FILE -> RequestBody.fromFile(asset.source());
                };
                var size = body.optionalContentLength().orElse(0L);
                out.println("  uploading asset " + shortId(asset.id()) + " (" + asset.packaging().name().toLowerCase(Locale.ROOT)
                        + ", " + humanSize(size) + ") to " + location);
                try {
                    s3.putObject(b -> b.bucket(destination.bucket()).key(destination.key()), body);
                } catch (S3Exception e) {
                    throw new DeployException("Uploading asset to " + location + " failed (" + e.statusCode() + " "
                            + errorCode(e) + "): check that the assets bucket exists (mvn -Pbootstrap) and that you"
                            + " may s3:PutObject to it", e);
                }
                uploaded++;
            }
        }
        return uploaded;
    }

    private boolean exists(AssetManifest.Destination destination) {
        try {
            s3.headObject(b -> b.bucket(destination.bucket()).key(destination.key()));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new DeployException("Cannot check s3://" + destination.bucket() + "/" + destination.key() + " ("
                    + e.statusCode() + " " + errorCode(e) + "): check that the assets bucket belongs to this account"
                    + " and that you may s3:GetObject from it", e);
        }
    }

    static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }

    static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
