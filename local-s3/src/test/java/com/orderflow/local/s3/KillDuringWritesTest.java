package com.orderflow.local.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

/**
 * Kills a real local S3 process with SIGKILL while four clients write, three times over on the same data directory:
 * every write it answered is there afterwards, byte for byte, and the store opens without a repair step.
 */
class KillDuringWritesTest {

    private static final String BUCKET = "orders";

    @TempDir
    Path dataDir;

    /** key@versionId to the body the server acknowledged. */
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();

    @Test
    void everyAcknowledgedWrite_survivesKillMinus9_andTheStoreOpensAsItWas() throws Exception {
        for (int round = 0; round < 3; round++) {
            var process = start();
            try (var s3 = LocalS3Server.clientFor(URI.create("http://127.0.0.1:" + process.port()))) {
                if (round == 0) {
                    OrdersBucket.ensure(s3, BUCKET);
                }
                assertEverythingAcknowledgedIsThere(s3);
                var writers = new ArrayList<Thread>();
                for (int w = 0; w < 4; w++) {
                    int writer = w;
                    int r = round;
                    writers.add(Thread.ofPlatform().start(() -> write(s3, r, writer)));
                }
                Thread.sleep(600 + ThreadLocalRandom.current().nextInt(600));
                process.process().destroyForcibly(); // SIGKILL
                assertThat(process.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
                for (var writer : writers) {
                    writer.join(Duration.ofSeconds(30));
                }
            }
        }
        assertThat(acknowledged).hasSizeGreaterThan(100);
        var process = start();
        try (var s3 = LocalS3Server.clientFor(URI.create("http://127.0.0.1:" + process.port()))) {
            assertEverythingAcknowledgedIsThere(s3);
        } finally {
            process.process().destroyForcibly();
        }
    }

    private void write(software.amazon.awssdk.services.s3.S3Client s3, int round, int writer) {
        for (int n = 0; ; n++) {
            String key = "orders/r" + round + "-w" + writer + "-" + (n % 50) + ".json";
            String body = "{\"round\":" + round + ",\"writer\":" + writer + ",\"n\":" + n + ",\"pad\":\""
                    + "x".repeat(ThreadLocalRandom.current().nextInt(2000)) + "\"}";
            try {
                String versionId = s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(body)).versionId();
                acknowledged.put(key + "@" + versionId, body);
            } catch (RuntimeException e) {
                return; // the server is gone: what it did not answer was never acknowledged
            }
        }
    }

    private void assertEverythingAcknowledgedIsThere(software.amazon.awssdk.services.s3.S3Client s3) {
        var listed = new ArrayList<ObjectVersion>();
        s3.listObjectVersionsPaginator(b -> b.bucket(BUCKET)).forEach(page -> listed.addAll(page.versions()));
        var listedIds = listed.stream().map(v -> v.key() + "@" + v.versionId()).toList();
        assertThat(listedIds).doesNotHaveDuplicates().containsAll(acknowledged.keySet());
        for (var entry : acknowledged.entrySet()) {
            int at = entry.getKey().lastIndexOf('@');
            String key = entry.getKey().substring(0, at);
            String versionId = entry.getKey().substring(at + 1);
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key).versionId(versionId)).asUtf8String())
                    .isEqualTo(entry.getValue());
        }
        // a version the server wrote but could not answer before the kill is whole too
        for (var version : listed) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(version.key()).versionId(version.versionId()))
                    .asUtf8String()).startsWith("{\"round\":").endsWith("\"}");
        }
    }

    private record Child(Process process, int port) {
    }

    private Child start() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                S3ServerProcess.class.getName(), dataDir.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = reader.readLine();
        assertThat(line).as("the S3 process's first line").startsWith("READY ");
        return new Child(process, Integer.parseInt(line.split(" ")[1]));
    }
}
