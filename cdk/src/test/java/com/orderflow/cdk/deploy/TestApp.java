package com.orderflow.cdk.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CliCredentialsStackSynthesizer;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.assets.Asset;

/**
 * A tiny CDK app standing in for the orderflow app: one retained bucket, one directory asset, two outputs, and
 * the same synthesizer settings (CLI credentials, our one assets bucket, no bootstrap version rule).
 *
 * @param large whether to pad the template past CloudFormation's inline limit
 */
record TestApp(boolean large) implements CloudAssemblySource {

    static final TestApp SMALL = new TestApp(false);
    static final TestApp LARGE = new TestApp(true);
    private static final Map<TestApp, Path> SYNTHESIZED = new ConcurrentHashMap<>();

    @Override
    public String synthesize(String stage, Path outdir) {
        var app = new App(AppProps.builder().outdir(outdir.toString()).build());
        var stack = new Stack(app, "orderflow-" + stage, StackProps.builder()
                .synthesizer(CliCredentialsStackSynthesizer.Builder.create()
                        .fileAssetsBucketName("orderflow-assets-${AWS::AccountId}-${AWS::Region}")
                        .build())
                .build());
        var orders = Bucket.Builder.create(stack, "Orders").removalPolicy(RemovalPolicy.RETAIN).build();
        Bucket.Builder.create(stack, "Scratch").removalPolicy(RemovalPolicy.DESTROY).build();
        var code = Asset.Builder.create(stack, "Code").path(assetDirectory().toString()).build();
        CfnOutput.Builder.create(stack, "OrdersBucketName").value(orders.getBucketName()).build();
        CfnOutput.Builder.create(stack, "CodeKey").value(code.getS3ObjectKey()).build();
        if (large) {
            stack.getTemplateOptions().setMetadata(Map.of("Padding", "x".repeat(StackDeployment.INLINE_TEMPLATE_LIMIT)));
        }
        app.synth();
        return stack.getStackName();
    }

    /** A source that hands out a copy of this app's assembly, synthesized once per test run (jsii is slow). */
    CloudAssemblySource cached() {
        return (stage, outdir) -> {
            var synthesized = SYNTHESIZED.computeIfAbsent(this, app -> {
                try {
                    var dir = Files.createTempDirectory("cdk-out-");
                    app.synthesize(stage, dir);
                    return dir;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            copy(synthesized, outdir);
            return "orderflow-" + stage;
        };
    }

    /** The synthesized template, as deployed by a previous run. */
    String template() {
        cached().synthesize("test", scratch());
        return read(SYNTHESIZED.get(this).resolve("orderflow-test.template.json"));
    }

    /** The small app's template as an earlier version deployed it: one bucket changed, one missing, one gone since. */
    static String olderTemplate() {
        try {
            var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
            var template = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(SMALL.template());
            var resources = (com.fasterxml.jackson.databind.node.ObjectNode) template.get("Resources");
            resources.remove("ScratchF72D2ED6");
            ((com.fasterxml.jackson.databind.node.ObjectNode) resources.get("OrdersA9B65338")).putObject("Properties").put("BucketName", "old-name");
            resources.putObject("Legacy").put("Type", "AWS::SNS::Topic");
            return mapper.writeValueAsString(template);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static java.util.List<String> unzippedNames(byte[] zip) {
        var names = new java.util.ArrayList<String>();
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                names.add(entry.getName());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return names;
    }

    private static Path assetDirectory() {
        try {
            var dir = Files.createTempDirectory("asset-");
            Files.writeString(dir.resolve("handler.txt"), "code v1\n");
            Files.createDirectories(dir.resolve("lib"));
            Files.writeString(dir.resolve("lib/library.txt"), "library\n");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path scratch() {
        try {
            return Files.createTempDirectory("cdk-out-copy-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(Path from, Path to) {
        try (var walk = Files.walk(from)) {
            for (var source : walk.toList()) {
                var target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
