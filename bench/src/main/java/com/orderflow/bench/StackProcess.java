package com.orderflow.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The local stack ({@code com.orderflow.local.LocalStack}, what {@code mvn -Plocal} runs) as a separate JVM on
 * loopback ports, started from this JVM's class path: so a load driver does not share the stack's CPU accounting,
 * and a crash test can kill it with SIGKILL and start it again on the same data directory.
 */
final class StackProcess implements AutoCloseable {

    private static final String READY = "orderflow local stack is ready";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** How the running stack's lines begin (requests, execution ends, function logs), unlike its start-up lines. */
    private static final Pattern RUNNING_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");

    /** Loopback ports the stack listens on; chosen once so a restart comes back at the same addresses. */
    record Ports(int api, int sfn, int s3) {
        static Ports free() {
            return new Ports(freePort(), freePort(), freePort());
        }
    }

    private final Process process;
    private final Ports ports;
    private final List<String> progress = new ArrayList<>();
    private final CountDownLatch outputSeen = new CountDownLatch(1);
    private volatile boolean ready;
    private volatile boolean stopping;

    private StackProcess(Process process, Ports ports, Path log) {
        this.process = process;
        this.ports = ports;
        var reader = new Thread(() -> pump(log), "stack-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * The benchmarks' JVM for the stack: the serial collector and a 1 GB heap, so that CPU-second figures compare
     * across runs and machines.
     */
    static final List<String> BENCH_JVM = List.of("-XX:+UseSerialGC", "-Xmx1g");

    /**
     * The JVM flags {@code mvn -Plocal} runs the stack with: it runs in Maven's JVM, whose flags are the project's
     * {@code .mvn/jvm.config} (the G1 collector with a 10 ms pause target, which is what keeps the POST p99 of a
     * 10-minute load under 20 ms as the heap grows). A load run about what a user's stack holds starts it with these.
     */
    static List<String> localStackJvm(Path root) throws IOException {
        var flags = new ArrayList<String>();
        for (String line : Files.readAllLines(root.resolve(".mvn/jvm.config"))) {
            for (String flag : line.strip().split("\\s+")) {
                if (!flag.isEmpty()) {
                    flags.add(flag);
                }
            }
        }
        return flags;
    }

    /** Starts the stack with its data (S3 objects and the Step Functions store) under {@code dataDir}, and waits until it is ready. */
    static StackProcess start(Path root, Path dataDir, Ports ports, boolean inMemory, Path log) throws IOException, InterruptedException {
        return start(root, dataDir, ports, inMemory, log, BENCH_JVM);
    }

    /**
     * Starts the stack on a JVM with these flags ({@link #localStackJvm} for the ones {@code mvn -Plocal} runs it with).
     */
    static StackProcess start(Path root, Path dataDir, Ports ports, boolean inMemory, Path log, List<String> jvmFlags)
            throws IOException, InterruptedException {
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        // e.g. -Dbench.stack.jvm=-XX:StartFlightRecording=filename=stack.jfr,settings=profile to profile the stack
        String extra = System.getProperty("bench.stack.jvm", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of(
                "-cp", classPath(),
                "com.orderflow.local.LocalStack",
                "--root=" + root, "--data-dir=" + dataDir,
                "--api-port=" + ports.api(), "--sfn-port=" + ports.sfn(), "--s3-port=" + ports.s3()));
        if (inMemory) {
            command.add("--in-memory");
        }
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        var stack = new StackProcess(process, ports, log);
        // counted down at the ready banner, or when the output ends because the process gave up
        if (!stack.outputSeen.await(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || !stack.ready) {
            stack.kill();
            throw new IllegalStateException("the local stack did not become ready (" + String.join(" | ", stack.progress())
                    + "); see " + log);
        }
        return stack;
    }

    URI api() {
        return URI.create("http://127.0.0.1:" + ports.api());
    }

    URI sfn() {
        return URI.create("http://127.0.0.1:" + ports.sfn());
    }

    long pid() {
        return process.pid();
    }

    /** The stack JVM's open file descriptors and threads now, as "fds/threads" from /proc ("?" where there is none). */
    String openFilesAndThreads() {
        try (var fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            long open = fds.count();
            String threads = Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .filter(l -> l.startsWith("Threads:")).map(l -> l.substring("Threads:".length()).trim()).findFirst().orElse("?");
            return open + "/" + threads;
        } catch (IOException | UncheckedIOException e) {
            return "?";
        }
    }

    /** The stack's own progress lines (the numbered start-up lines and what recovery did). */
    synchronized List<String> progress() {
        return List.copyOf(progress);
    }

    /**
     * Writes every thread of the stack, its virtual threads included (which {@code jstack} leaves out), as JSON to
     * {@code file}; says where, or why not.
     */
    String dumpThreads(Path file) throws InterruptedException {
        var jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            var dump = new ProcessBuilder(jcmd, Long.toString(process.pid()), "Thread.dump_to_file", "-format=json",
                    file.toString()).redirectErrorStream(true).start();
            String said = new String(dump.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (!dump.waitFor(60, TimeUnit.SECONDS) || dump.exitValue() != 0 || !Files.exists(file)) {
                dump.destroyForcibly();
                return "thread dump of the stack failed: " + said;
            }
            return "threads of the stack (virtual ones too): " + file;
        } catch (IOException e) {
            return "thread dump of the stack failed: " + e;
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed that was not already on disk. */
    void kill() throws InterruptedException {
        stopping = true;
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: the stack's shutdown hook drains and stops it. */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            kill();
        }
    }

    private void pump(Path log) {
        try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             var out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                     java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND))) {
            out.println("---- pid " + process.pid() + " ----");
            for (String line; (line = in.readLine()) != null; ) {
                out.println(line);
                // a running stack's lines (requests, execution ends, function logs) begin with the time of day
                if (!line.startsWith("{") && !RUNNING_LINE.matcher(line).lookingAt()) {
                    synchronized (this) {
                        progress.add(line);
                    }
                }
                if (line.contains(READY)) {
                    ready = true;
                    outputSeen.countDown();
                }
            }
        } catch (IOException e) {
            if (!stopping) {
                throw new UncheckedIOException(e);
            }
            // stopped or killed on purpose: its output ends with it
        } finally {
            outputSeen.countDown();
        }
    }

    /**
     * This module's class path: under {@code exec:java} (as {@code mvn -Pbench} runs) it is the plugin's class loader's,
     * since {@code java.class.path} is then Maven's own; under {@code exec:exec} or plain {@code java} it is the JVM's.
     */
    static String classPath() {
        if (StackProcess.class.getClassLoader() instanceof java.net.URLClassLoader loader) {
            var entries = new ArrayList<String>();
            for (var url : loader.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()).toString());
                } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                    throw new IllegalStateException("class path entry is not a file: " + url, e);
                }
            }
            return String.join(java.io.File.pathSeparator, entries);
        }
        return System.getProperty("java.class.path");
    }

    private static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
