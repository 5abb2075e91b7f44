package com.orderflow.cdk.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading what CDK wrote: stacks, asset manifests (with placeholders), annotations, retained resources. */
class CloudAssemblyTest {

    @TempDir
    Path dir;

    @Test
    void assetManifest_placeholders_becomeTheAccountAndRegion() throws IOException {
        Files.writeString(dir.resolve("s.assets.json"), """
                {"version":"54.0.0","files":{"abc":{"source":{"path":"asset.abc","packaging":"zip"},
                 "destinations":{"d":{"bucketName":"orderflow-assets-${AWS::AccountId}-${AWS::Region}",
                 "objectKey":"abc.zip"}}}},"dockerImages":{}}""");

        var manifest = AssetManifest.read(dir.resolve("s.assets.json"), "111122223333", "eu-central-1");

        assertThat(manifest.files()).singleElement().satisfies(asset -> {
            assertThat(asset.packaging()).isEqualTo(AssetManifest.Packaging.ZIP);
            assertThat(asset.source()).isEqualTo(dir.resolve("asset.abc"));
            assertThat(asset.destinations()).containsExactly(
                    new AssetManifest.Destination("orderflow-assets-111122223333-eu-central-1", "abc.zip"));
        });
    }

    @Test
    void assetManifest_withDockerImages_isRefusedWithAReason() throws IOException {
        Files.writeString(dir.resolve("s.assets.json"), """
                {"files":{},"dockerImages":{"img":{"source":{"directory":"asset.img"},"destinations":{}}}}""");

        assertThatThrownBy(() -> AssetManifest.read(dir.resolve("s.assets.json"), "1", "eu-west-1"))
                .isInstanceOf(DeployException.class).hasMessageContaining("Docker image assets");
    }

    @Test
    void errorAnnotations_failSynth_andWarningsArePrinted() throws IOException {
        Files.writeString(dir.resolve("manifest.json"), """
                {"version":"54.0.0","artifacts":{"orderflow-test":{"type":"aws:cloudformation:stack",
                 "properties":{"templateFile":"orderflow-test.template.json"},
                 "additionalMetadataFile":"orderflow-test.metadata.json"}}}""");
        Files.writeString(dir.resolve("orderflow-test.template.json"), """
                {"Resources":{"B":{"Type":"AWS::S3::Bucket"}}}""");
        Files.writeString(dir.resolve("orderflow-test.metadata.json"), """
                {"/orderflow-test/B/Resource":[{"type":"aws:cdk:logicalId","data":"B"},
                 {"type":"aws:cdk:error","data":"AwsSolutions-S1: The S3 Bucket has server access logs disabled."},
                 {"type":"aws:cdk:warning","data":"something to look at"}]}""");
        var out = new java.io.ByteArrayOutputStream();
        var config = DeployerConfig.builder("test")
                .assemblyDir(dir.resolve("cdk.out"))
                .source((stage, outdir) -> {
                    copy(dir, outdir);
                    return "orderflow-" + stage;
                })
                .credentials(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create(), null)
                .region(() -> software.amazon.awssdk.regions.Region.EU_WEST_1)
                .out(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8))
                .build();

        assertThatThrownBy(() -> new Deployer(config).run(Target.SYNTH))
                .isInstanceOf(DeployException.class)
                .hasMessageContaining("Synthesis reported 1 error(s)");
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("ERROR /orderflow-test/B/Resource: AwsSolutions-S1")
                .contains("WARNING /orderflow-test/B/Resource: something to look at");
    }

    @Test
    void template_retainedResources_areThoseWithARetainDeletionPolicy() {
        var template = Template.parse("""
                {"Resources":{
                  "Orders":{"Type":"AWS::S3::Bucket","DeletionPolicy":"Retain"},
                  "Logs":{"Type":"AWS::Logs::LogGroup","DeletionPolicy":"RetainExceptOnCreate"},
                  "Fn":{"Type":"AWS::Lambda::Function"},
                  "Fn2":{"Type":"AWS::Lambda::Function","DeletionPolicy":"Delete"}}}""");

        assertThat(template.retained()).extracting(Template.Resource::logicalId).containsExactly("Orders", "Logs");
        assertThat(template.countByType()).containsExactly(
                java.util.Map.entry("AWS::Lambda::Function", 2),
                java.util.Map.entry("AWS::Logs::LogGroup", 1),
                java.util.Map.entry("AWS::S3::Bucket", 1));
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to);
            try (var files = Files.list(from)) {
                for (var file : files.filter(Files::isRegularFile).toList()) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
