package com.orderflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The peer of {@link SfnApiBenchmark}: the npm package aws-local-stepfunctions 3.0.0 running the same definition
 * in one Node process (no HTTP), from the same number of concurrent async loops, measured with that process's
 * {@code process.cpuUsage()}. Installed at bench time into {@code bench/target/npm-peer} (no package.json, no lock
 * file); skipped, with the reason, when node or npm is not on the PATH or the install fails.
 */
final class NpmStepFunctionsPeer {

    static final String PACKAGE = "aws-local-stepfunctions";
    static final String VERSION = "3.0.0";
    private static final String SCRIPT = "aws-local-stepfunctions-bench.mjs";
    private static final Duration INSTALL_LIMIT = Duration.ofSeconds(120);
    private static final Duration RUN_LIMIT = Duration.ofSeconds(120);

    /** What the peer run gave: measured figures, or why there are none. */
    sealed interface Result permits Measured, Skipped {
    }

    /**
     * Figures of the measured executions; {@code nodeEngines} is the Node range the package declares, and
     * {@code constructCpuMillis} the CPU one {@code new StateMachine} costs.
     */
    record Measured(String node, String nodeEngines, int executions, double cpuSeconds, double wallSeconds,
                    double constructCpuMillis)
            implements Result {
        double perCpuSecond() {
            return executions / cpuSeconds;
        }

        double perWallSecond() {
            return executions / wallSeconds;
        }
    }

    record Skipped(String why) implements Result {
    }

    private NpmStepFunctionsPeer() {
    }

    static Result run(Path root, String definition, int executions, int warmUp, int concurrency)
            throws IOException, InterruptedException {
        var node = onPath("node");
        var npm = onPath("npm");
        if (node.isEmpty() || npm.isEmpty()) {
            return new Skipped((node.isEmpty() ? "node" : "npm") + " is not on the PATH");
        }
        Path dir = root.resolve("bench/target/npm-peer");
        Files.createDirectories(dir);
        if (!installed(dir)) {
            Path log = dir.resolve("npm-install.log");
            // --no-save and --no-package-lock: nothing is written but node_modules, so no file names a registry
            int exit = exec(List.of(npm.get().toString(), "install", "--no-save", "--no-package-lock", "--no-audit",
                    "--no-fund", "--prefix", dir.toString(), PACKAGE + "@" + VERSION), dir, log, INSTALL_LIMIT);
            if (exit != 0 || !installed(dir)) {
                return new Skipped("npm install " + PACKAGE + "@" + VERSION + " failed (exit " + exit + "); see " + log);
            }
        }
        try (InputStream script = NpmStepFunctionsPeer.class.getResourceAsStream("/npm-peer/" + SCRIPT)) {
            if (script == null) {
                throw new IllegalStateException("resource /npm-peer/" + SCRIPT + " missing from the bench classes");
            }
            Files.copy(script, dir.resolve(SCRIPT), StandardCopyOption.REPLACE_EXISTING);
        }
        Path definitionFile = dir.resolve("definition.json");
        Files.writeString(definitionFile, definition);
        Path out = dir.resolve("peer-run.log");
        int exit = exec(List.of(node.get().toString(), SCRIPT, definitionFile.toString(), Integer.toString(executions),
                Integer.toString(warmUp), Integer.toString(concurrency)), dir, out, RUN_LIMIT);
        var lines = Files.readAllLines(out);
        if (exit != 0 || lines.isEmpty() || !lines.getLast().startsWith("{")) {
            // the package ran and got it wrong, or crashed: no figure to print, and not a silent skip either
            throw new IllegalStateException("the npm peer run failed (exit " + exit + "): " + String.join(" | ", lines));
        }
        var figures = Json.mapper().readTree(lines.getLast());
        return new Measured(figures.path("node").asText(), manifest(dir).path("engines").path("node").asText("any"),
                figures.path("executions").asInt(),
                figures.path("cpuSeconds").asDouble(), figures.path("wallSeconds").asDouble(),
                figures.path("constructCpuMillis").asDouble());
    }

    private static boolean installed(Path dir) throws IOException {
        return VERSION.equals(manifest(dir).path("version").asText());
    }

    /** The installed package's package.json, or an empty object. */
    private static JsonNode manifest(Path dir) throws IOException {
        Path manifest = dir.resolve("node_modules").resolve(PACKAGE).resolve("package.json");
        return Files.isRegularFile(manifest) ? Json.mapper().readTree(manifest.toFile()) : Json.mapper().createObjectNode();
    }

    /** Runs a command with its output (stdout and stderr) in {@code log}; -1 when it outlives {@code limit}. */
    private static int exec(List<String> command, Path dir, Path log, Duration limit) throws IOException, InterruptedException {
        var process = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
