package com.orderflow.cdk.deploy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * moto's server, an implementation of the CloudFormation, S3 and STS APIs written by others, started on a free
 * loopback port for a test and stopped after it. It runs through {@code moto/moto_server.py}, which corrects the one
 * moto bug the deployer cannot pass (no stack outputs after a change set) and says why.
 */
final class MotoServer implements AutoCloseable {

    private static final List<String> COMMAND = List.of("python3", "-m", "moto.server");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MotoServer(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Why moto's server cannot run here, or empty when it can. */
    static Optional<String> unavailableReason() {
        try {
            var probe = new ProcessBuilder(concat(COMMAND, "--help")).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!probe.waitFor(60, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return Optional.of("`python3 -m moto.server --help` did not answer within 60 s");
            }
            return probe.exitValue() == 0 ? Optional.empty()
                    : Optional.of("`python3 -m moto.server --help` exited " + probe.exitValue()
                            + " (install it with `python3 -m pip install 'moto[server]'`)");
        } catch (IOException e) {
            return Optional.of("python3 is not on the PATH (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while probing for moto");
        }
    }

    /** Starts moto on 127.0.0.1 through {@code moto/moto_server.py} and waits until it answers; its log goes to {@code logDir}. */
    static MotoServer start(Path logDir) throws IOException, InterruptedException {
        return start(logDir, List.of("python3", launcher().toString()));
    }

    /** Starts moto as installed ({@code python3 -m moto.server}, without the correction), as a user would run it. */
    static MotoServer startAsInstalled(Path logDir) throws IOException, InterruptedException {
        return start(logDir, COMMAND);
    }

    private static MotoServer start(Path logDir, List<String> command) throws IOException, InterruptedException {
        var port = freeLoopbackPort();
        Files.createDirectories(logDir);
        var log = logDir.resolve("moto-" + port + ".log");
        var process = new ProcessBuilder(concat(command, "-H", "127.0.0.1", "-p", String.valueOf(port)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        var server = new MotoServer(process, port, log);
        try {
            server.awaitReady();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * The endpoint to give the SDK. {@code localhost}, not the IP: moto reads a path-style TemplateURL only when its
     * host says localhost (on 127.0.0.1 it takes the first label of the host for the bucket).
     */
    URI endpoint() {
        return URI.create("http://localhost:" + port);
    }

    /** Forgets every stack, bucket and object, as a fresh server would. */
    void reset() throws IOException, InterruptedException {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/moto-api/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("moto reset answered " + response.statusCode());
        }
    }

    Path log() {
        return log;
    }

    private void awaitReady() throws IOException, InterruptedException {
        var deadline = Instant.now().plus(START_TIMEOUT);
        var probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/moto-api/data.json"))
                .timeout(Duration.ofSeconds(2)).build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto exited " + process.exitValue() + " at start: " + tail());
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("moto did not answer on port " + port + " within " + START_TIMEOUT.toSeconds()
                + " s: " + tail());
    }

    private String tail() {
        try {
            var text = Files.readString(log);
            return text.substring(Math.max(0, text.length() - 2000));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static Path launcher() {
        try {
            return Path.of(java.util.Objects.requireNonNull(MotoServer.class.getResource("/moto/moto_server.py"),
                    "moto/moto_server.py is not on the test classpath").toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static List<String> concat(List<String> command, String... args) {
        return java.util.stream.Stream.concat(command.stream(), java.util.Arrays.stream(args)).toList();
    }

    @Override
    public void close() {
        http.close();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static void requireAvailable() {
        unavailableReason().ifPresent(reason -> {
            // printed, so that a skip is never silent; .ci/run fails when the report shows one
            System.out.println("SKIPPED (moto): " + reason);
            org.junit.jupiter.api.Assumptions.abort("moto is not available: " + reason);
        });
    }
}
