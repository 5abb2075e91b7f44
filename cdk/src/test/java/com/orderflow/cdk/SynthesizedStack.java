package com.orderflow.cdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;
import software.constructs.IConstruct;

/**
 * One synthesis of the orderflow app, shared by every test class in the JVM: jsii start-up and synthesis
 * take seconds, so each stage is synthesized once and the tests read the same cloud assembly.
 *
 * @param config       the configuration the app was built from
 * @param stack        the stack construct (for cdk-nag and construct-tree checks)
 * @param assembly     the synthesized cloud assembly
 * @param artifact     the stack's artifact in the assembly (what the deployer deploys)
 * @param template     assertions over the template
 * @param json         the template as Jackson nodes, for structural checks the assertions library cannot express
 * @param messages     every error and warning annotation (cdk-nag findings included), as "path: type: text"
 * @param synthMillis  wall time of building and synthesizing the app
 */
record SynthesizedStack(
        AppConfig config,
        OrderflowStack stack,
        CloudAssembly assembly,
        CloudFormationStackArtifact artifact,
        Template template,
        JsonNode json,
        List<Finding> messages,
        long synthMillis) {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static SynthesizedStack dev;
    private static SynthesizedStack prod;

    /** The dev stage with cdk-nag's AwsSolutions pack applied. */
    static synchronized SynthesizedStack dev() {
        if (dev == null) {
            dev = synthesize(AppConfig.forStage("dev", projectRoot()), true);
        }
        return dev;
    }

    /** The prod stage with geo-blocking configured. */
    static synchronized SynthesizedStack prod() {
        if (prod == null) {
            prod = synthesize(AppConfig.forStage("prod", projectRoot()).withBlockedCountries(List.of("kp", "IR")), false);
        }
        return prod;
    }

    static SynthesizedStack synthesize(AppConfig base, boolean nag) {
        var started = System.nanoTime();
        try {
            var workDir = Files.createDirectories(buildDirectory().resolve("test-synth/" + base.stage()));
            var config = base.withLambdaJar(placeholderJar(workDir)).withStateMachineFile(stateMachineFile())
                    .withOutdir(workDir.resolve("cdk.out"));
            App app = OrderflowApp.build(config);
            var stack = (OrderflowStack) app.getNode().findChild(config.stackName());
            if (nag) {
                Aspects.of(stack).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).reports(true).build()));
            }
            var assembly = app.synth();
            var artifact = assembly.getStackByName(config.stackName());
            var json = MAPPER.readTree(Path.of(artifact.getTemplateFullPath()).toFile());
            @SuppressWarnings("unchecked")
            var template = Template.fromJSON((Map<String, Object>) MAPPER.convertValue(json, Map.class));
            var millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("synthesized %s in %d ms%n", config.stackName(), millis);
            return new SynthesizedStack(config, stack, assembly, artifact, template, json, findings(stack), millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An error or warning annotation on a construct. */
    record Finding(String path, String level, String text) {
        @Override
        public String toString() {
            return path + " [" + level + "] " + text;
        }
    }

    /** Annotations live in the construct tree's metadata as aws:cdk:error / aws:cdk:warning entries. */
    static List<Finding> findings(software.amazon.awscdk.Stack stack) {
        var findings = new ArrayList<Finding>();
        for (IConstruct construct : stack.getNode().findAll()) {
            for (var entry : construct.getNode().getMetadata()) {
                if (entry.getType().equals("aws:cdk:error") || entry.getType().equals("aws:cdk:warning")) {
                    findings.add(new Finding(construct.getNode().getPath(), entry.getType().substring("aws:cdk:".length()),
                            String.valueOf(entry.getData())));
                }
            }
        }
        return findings;
    }

    /** The repository root: surefire runs in cdk/. */
    static Path projectRoot() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
    }

    /** The real ASL file, the one the local stack runs too. */
    static Path stateMachineFile() {
        return projectRoot().resolve("statemachine/order-workflow.asl.json");
    }

    /** cdk/target: synthesized assemblies stay inside the build and go with mvn clean. */
    static Path buildDirectory() {
        return projectRoot().resolve("cdk/target");
    }

    /** A tiny stand-in for the shaded Lambda jar: the template only needs a file to hash. */
    static Path placeholderJar(Path dir) throws IOException {
        var jar = dir.resolve("orderflow-lambda.jar");
        try (var zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write("Manifest-Version: 1.0\n".getBytes());
            zip.closeEntry();
        }
        return jar;
    }

    /** Logical ids of every resource of {@code type}. */
    List<String> logicalIds(String type) {
        var ids = new ArrayList<String>();
        json.path("Resources").properties().forEach(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                ids.add(e.getKey());
            }
        });
        return ids;
    }

    /** Resources of {@code type}, as nodes. */
    List<JsonNode> resources(String type) {
        return logicalIds(type).stream().map(id -> json.path("Resources").path(id)).toList();
    }

    /** The one resource of {@code type} whose logical id starts with {@code prefix}. */
    String logicalId(String type, String prefix) {
        var ids = logicalIds(type).stream().filter(id -> id.startsWith(prefix)).toList();
        if (ids.size() != 1) {
            throw new AssertionError("expected one " + type + " with logical id prefix " + prefix + " but found " + ids);
        }
        return ids.getFirst();
    }

    /** The logical id a {@code {"Ref": id}} or {@code {"Fn::GetAtt": [id, attr]}} points at, or null. */
    static String referencedId(JsonNode intrinsic) {
        if (intrinsic.has("Ref")) {
            return intrinsic.get("Ref").asText();
        }
        if (intrinsic.has("Fn::GetAtt")) {
            return intrinsic.get("Fn::GetAtt").get(0).asText();
        }
        return null;
    }

    JsonNode resource(String logicalId) {
        return json.path("Resources").path(logicalId);
    }

    String typeOf(String logicalId) {
        return resource(logicalId).path("Type").asText();
    }

    /** Every IAM policy statement of the inline policies attached to the role with logical id {@code roleId}. */
    List<JsonNode> statementsOfRole(String roleId) {
        var statements = new ArrayList<JsonNode>();
        for (var policy : resources("AWS::IAM::Policy")) {
            for (Iterator<JsonNode> it = policy.path("Properties").path("Roles").elements(); it.hasNext(); ) {
                if (roleId.equals(it.next().path("Ref").asText())) {
                    policy.path("Properties").path("PolicyDocument").path("Statement").forEach(statements::add);
                }
            }
        }
        resource(roleId).path("Properties").path("Policies")
                .forEach(p -> p.path("PolicyDocument").path("Statement").forEach(statements::add));
        return statements;
    }
}
