package com.orderflow.local.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;

/** An {@link EngineHost} in its own JVM, its stderr in {@code log}, serving on {@code port}. */
record ChildEngine(Process process, int port, Path log) {

    /** Starts one on the store in {@code store} and waits until it serves. */
    static ChildEngine start(Path store, Path logDir, String... extraArgs) throws IOException {
        Path log = logDir.resolve("child-" + System.nanoTime() + ".log");
        var command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EngineHost.class.getName(), store.toString()));
        command.addAll(java.util.List.of(extraArgs));
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        var out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("READY ")) {
            process.destroyForcibly();
            throw new AssertionError("engine host did not start: " + line + "\n" + Files.readString(log));
        }
        return new ChildEngine(process, Integer.parseInt(line.split(" ")[1]), log);
    }

    /** An SDK client for it; {@code retries} false so that a 503 reaches the test as it was sent. */
    SfnClient client(boolean retries) {
        var builder = SfnClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create());
        if (!retries) {
            builder.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        }
        return builder.build();
    }
}
