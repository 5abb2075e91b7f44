package com.orderflow.cdk.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The file assets of one stack, read from its {@code *.assets.json}, with their S3 destinations resolved for an
 * account and region.
 *
 * @param files the file assets
 */
public record AssetManifest(List<FileAsset> files) {

    /** How an asset's source becomes one S3 object. */
    public enum Packaging { FILE, ZIP }

    /**
     * One file asset and where it must be uploaded.
     *
     * @param id           the asset hash CDK gave it
     * @param source       the file or directory in the assembly
     * @param packaging    upload as-is, or zip the directory (or file) first
     * @param destinations bucket and key pairs
     */
    public record FileAsset(String id, Path source, Packaging packaging, List<Destination> destinations) { }

    /**
     * An S3 location.
     *
     * @param bucket bucket name
     * @param key    object key
     */
    public record Destination(String bucket, String key) { }

    /** An empty manifest, for stacks without assets. */
    public static AssetManifest none() {
        return new AssetManifest(List.of());
    }

    /** Reads the manifest, replacing CDK's {@code ${AWS::AccountId}}-style placeholders with real values. */
    public static AssetManifest read(Path manifest, String account, String region) {
        var root = CloudAssembly.readJson(manifest);
        if (!root.path("dockerImages").isEmpty()) {
            throw new DeployException("The app has Docker image assets, which this npm-free deployer does not publish:"
                    + " use file assets (Lambda jars) only");
        }
        var dir = manifest.getParent();
        var files = new ArrayList<FileAsset>();
        for (Map.Entry<String, JsonNode> entry : root.path("files").properties()) {
            var node = entry.getValue();
            var source = node.path("source");
            if (!source.hasNonNull("path")) {
                throw new DeployException("Asset " + entry.getKey() + " is built by a command (executable), which this"
                        + " deployer does not run: give it a path instead");
            }
            var packaging = "zip".equals(source.path("packaging").asText("file")) ? Packaging.ZIP : Packaging.FILE;
            var destinations = new ArrayList<Destination>();
            for (Map.Entry<String, JsonNode> destination : node.path("destinations").properties()) {
                var d = destination.getValue();
                destinations.add(new Destination(
                        resolve(d.path("bucketName").asText(), account, region),
                        resolve(d.path("objectKey").asText(), account, region)));
            }
            files.add(new FileAsset(entry.getKey(), dir.resolve(source.get("path").asText()), packaging,
                    List.copyOf(destinations)));
        }
        return new AssetManifest(List.copyOf(files));
    }

    /** Fails before any upload when an asset goes elsewhere than the toolkit stack's bucket. */
    void requireBucket(String toolkitBucket) {
        files.stream().flatMap(a -> a.destinations().stream()).map(Destination::bucket)
                .filter(name -> !name.equals(toolkitBucket)).findFirst().ifPresent(name -> {
                    throw new DeployException("The app's assets go to bucket " + name + ", but toolkit stack "
                            + ToolkitStack.NAME + " holds " + toolkitBucket + ": give the app's synthesizer the"
                            + " toolkit's bucket (" + AssetsBucket.NAME_PATTERN + ")");
                });
    }

    static String resolve(String text, String account, String region) {
        var partition = region.startsWith("cn-") ? "aws-cn" : region.startsWith("us-gov-") ? "aws-us-gov" : "aws";
        return text.replace("${AWS::AccountId}", account)
                .replace("${AWS::Region}", region)
                .replace("${AWS::Partition}", partition);
    }
}
