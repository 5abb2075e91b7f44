package com.orderflow.bench;

import com.orderflow.catalog.FunctionCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Cold starts of the real Lambda jar: for each handler, fresh JVMs launched with the current JDK's {@code java},
 * interleaved unprimed and primed (alternating which goes first), each running {@link ColdStartDriver}.
 */
final class ColdStartBenchmark {

    /** JVM flags of every launch: C1 only, as Lambda's Java runtimes set by default, and the serial collector. */
    static final List<String> JVM_FLAGS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx512m");

    /** A handler under test and the events it is timed on (paths relative to the repository). */
    record Subject(String name, String handlerClass, String firstEvent, String callingEvent) {
    }

    /** Every function of the catalog, named by its PascalCase name and what its events do. */
    static final List<Subject> SUBJECTS = FunctionCatalog.all().stream()
            .map(f -> new Subject(f.pascalName() + (f.sampleNote() == null ? "" : " (" + f.sampleNote() + ")"),
                    f.handler(), f.event(), f.awsCallEvent()))
            .toList();

    /** One launch's figures in milliseconds (negative when not applicable). */
    record Run(double launchToConstructed, double priming, double first, double firstCpu, String firstResult,
               double call, double callCpu, String callResult, double steadyMedian) {
    }

    /** Every run of one subject, unprimed and primed. */
    record Measured(Subject subject, List<Run> unprimed, List<Run> primed) {
    }

    private static final Pattern FIELD = Pattern.compile("(\\w+)=(\\S+)");

    private final Path root;
    private final Path lambdaJar;
    private final Path driverClasses;
    private final int runs;
    private final int steadyRequests;

    ColdStartBenchmark(Path root, int runs, int steadyRequests) throws IOException {
        this.root = root;
        this.lambdaJar = root.resolve("functions/target/orderflow-lambda.jar");
        if (!Files.isRegularFile(lambdaJar)) {
            throw new IllegalStateException(lambdaJar + " is missing: build it first (mvn -Pbench builds it)");
        }
        try {
            this.driverClasses = Path.of(ColdStartDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        this.runs = runs;
        this.steadyRequests = steadyRequests;
    }

    Path lambdaJar() {
        return lambdaJar;
    }

    List<Measured> run(LoopbackAws aws, java.util.function.Consumer<String> progress) throws IOException, InterruptedException {
        var results = new LinkedHashMap<Subject, Measured>();
        for (var subject : SUBJECTS) {
            results.put(subject, new Measured(subject, new ArrayList<>(), new ArrayList<>()));
        }
        for (int r = 0; r < runs; r++) {
            progress.accept("cold starts: round " + (r + 1) + " of " + runs);
            for (var subject : SUBJECTS) {
                var measured = results.get(subject);
                boolean primedFirst = r % 2 == 1;
                for (boolean primed : primedFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    (primed ? measured.primed() : measured.unprimed()).add(launch(subject, primed, aws));
                }
            }
        }
        return List.copyOf(results.values());
    }

    private Run launch(Subject subject, boolean primed, LoopbackAws aws) throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(lambdaJar + java.io.File.pathSeparator + driverClasses);
        command.add(ColdStartDriver.class.getName());
        command.add(subject.handlerClass());
        command.add(primed ? "primed" : "unprimed");
        var log = Files.createTempFile("orderflow-coldstart-", ".log");
        try {
            var builder = new ProcessBuilder().redirectError(log.toFile());
            var env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("AWS_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
            env.putAll(Map.of("AWS_REGION", "us-east-1", "ORDERS_BUCKET", "orderflow-orders-bench",
                    "STATE_MACHINE_ARN", "arn:aws:states:us-east-1:000000000000:stateMachine:orderflow-bench",
                    "S3_ENDPOINT_URL", aws.uri().toString(), "SFN_ENDPOINT_URL", aws.uri().toString()));
            command.add(Long.toString(System.nanoTime()));
            command.add(Integer.toString(steadyRequests));
            command.add(subject.firstEvent() == null ? "-" : root.resolve(subject.firstEvent()).toString());
            command.add(subject.callingEvent() == null ? "-" : root.resolve(subject.callingEvent()).toString());
            // the launch instant is the last argument taken: as close to start() as the command allows
            var process = builder.command(command).start();
            String out;
            try (var stdout = process.getInputStream()) {
                out = new String(stdout.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            }
            if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0 || !out.contains("RESULT")) {
                process.destroyForcibly();
                throw new IllegalStateException("cold start of " + subject.name() + " failed:\n" + out + Files.readString(log));
            }
            var run = parse(out.substring(out.indexOf("RESULT")));
            if (primed && !out.contains(" primedInvocations=") || primed && out.contains(" primedInvocations=0 ")) {
                throw new IllegalStateException("the primed run of " + subject.name() + " primed nothing (is the SDK"
                        + " interceptor file missing from the jar?):\n" + out);
            }
            return run;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static Run parse(String line) {
        var fields = new LinkedHashMap<String, String>();
        var m = FIELD.matcher(line);
        while (m.find()) {
            fields.put(m.group(1), m.group(2));
        }
        return new Run(ms(fields, "launchToConstructed"), ms(fields, "priming"), ms(fields, "first"), ms(fields, "firstCpu"),
                fields.get("firstResult"), ms(fields, "call"), ms(fields, "callCpu"), fields.get("callResult"),
                ms(fields, "steadyMedian"));
    }

    private static double ms(Map<String, String> fields, String name) {
        long nanos = Long.parseLong(fields.get(name));
        return nanos < 0 ? -1 : nanos / 1e6;
    }
}
