package com.orderflow.cdk.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The synthesized cloud assembly ({@code cdk.out}) as the deployer needs it: its stacks, their templates and
 * asset manifests, and the errors and warnings the constructs attached.
 *
 * @param dir    the assembly directory
 * @param stacks the CloudFormation stack artifacts
 */
public record CloudAssembly(Path dir, List<StackArtifact> stacks) {

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One stack of the assembly.
     *
     * @param stackName     the CloudFormation stack name
     * @param templateFile  the template JSON
     * @param assetManifest the {@code *.assets.json} listing its file assets, or null when it has none
     * @param errors        {@code aws:cdk:error} annotations ("path: message")
     * @param warnings      {@code aws:cdk:warning} annotations
     */
    public record StackArtifact(String stackName, Path templateFile, Path assetManifest,
                                List<String> errors, List<String> warnings) {

        public Template template() {
            return Template.read(templateFile);
        }
    }

    /** Reads {@code manifest.json} of an assembly directory. */
    public static CloudAssembly read(Path dir) {
        var manifest = readJson(dir.resolve("manifest.json"));
        var artifacts = manifest.path("artifacts");
        var stacks = new ArrayList<StackArtifact>();
        for (Map.Entry<String, JsonNode> artifact : artifacts.properties()) {
            var node = artifact.getValue();
            if (!"aws:cloudformation:stack".equals(node.path("type").asText())) {
                continue;
            }
            var props = node.path("properties");
            var stackName = props.path("stackName").asText(artifact.getKey());
            var template = dir.resolve(props.path("templateFile").asText());
            Path assets = null;
            for (var dependency : node.path("dependencies")) {
                var dep = artifacts.path(dependency.asText());
                if ("cdk:asset-manifest".equals(dep.path("type").asText())) {
                    assets = dir.resolve(dep.path("properties").path("file").asText());
                }
            }
            var errors = new ArrayList<String>();
            var warnings = new ArrayList<String>();
            collectAnnotations(node.path("metadata"), errors, warnings);
            if (node.hasNonNull("additionalMetadataFile")) {
                collectAnnotations(readJson(dir.resolve(node.get("additionalMetadataFile").asText())), errors, warnings);
            }
            stacks.add(new StackArtifact(stackName, template, assets, List.copyOf(errors), List.copyOf(warnings)));
        }
        return new CloudAssembly(dir, List.copyOf(stacks));
    }

    private static void collectAnnotations(JsonNode metadata, List<String> errors, List<String> warnings) {
        for (Map.Entry<String, JsonNode> path : metadata.properties()) {
            for (var entry : path.getValue()) {
                var text = path.getKey() + ": " + entry.path("data").asText(entry.path("data").toString());
                switch (entry.path("type").asText()) {
                    case "aws:cdk:error" -> errors.add(text);
                    case "aws:cdk:warning" -> warnings.add(text);
                    default -> { }
                }
            }
        }
    }

    /** The stack to deploy, or a clear failure when the app did not define it. */
    public StackArtifact stack(String stackName) {
        return stacks.stream()
                .filter(s -> s.stackName().equals(stackName))
                .findFirst()
                .orElseThrow(() -> new DeployException("The CDK app defines no stack named " + stackName + " (found "
                        + stacks.stream().map(StackArtifact::stackName).toList() + "): check -Dstage"));
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
