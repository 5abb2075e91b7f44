package com.orderflow.local.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS CLI (botocore: another HTTP stack, other defaults, virtual-hosted addressing where it can) against the
 * local S3, with the commands the README gives and the ones a user reaches for.
 */
class AwsCliS3Test {

    static LocalS3Server server;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(onPath("aws"), "the AWS CLI is not installed (.ci/run installs it)");
        server = LocalS3Server.inMemory();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static boolean onPath(String command) {
        var path = System.getenv("PATH");
        return path != null && List.of(path.split(File.pathSeparator)).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private record Run(int exit, String out, String err) {
    }

    private static Run aws(Path dir, String... args) throws Exception {
        var command = new ArrayList<>(List.of("aws", "--endpoint-url", "http://localhost:" + server.port(), "--output", "json"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        builder.environment().put("AWS_ACCESS_KEY_ID", "local");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "local");
        builder.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        builder.environment().put("AWS_MAX_ATTEMPTS", "1");
        var process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("aws did not finish: " + command);
        }
        return new Run(process.exitValue(), Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void theCli_createsVersionsListsCopiesAndRemoves(@TempDir Path dir) throws Exception {
        assertThat(aws(dir, "s3api", "create-bucket", "--bucket", "cli-orders").exit()).isZero();
        assertThat(aws(dir, "s3api", "put-bucket-versioning", "--bucket", "cli-orders",
                "--versioning-configuration", "Status=Enabled").exit()).isZero();
        Files.writeString(dir.resolve("order.json"), "{\"status\":\"RECEIVED\"}");
        var first = aws(dir, "s3", "cp", "order.json", "s3://cli-orders/orders/o-1.json");
        assertThat(first.exit()).as(first.err()).isZero();
        Files.writeString(dir.resolve("order.json"), "{\"status\":\"COMPLETED\"}");
        assertThat(aws(dir, "s3api", "put-object", "--bucket", "cli-orders", "--key", "orders/o-1.json",
                "--body", "order.json").exit()).isZero();

        var versions = aws(dir, "s3api", "list-object-versions", "--bucket", "cli-orders", "--prefix", "orders/o-1.json",
                "--query", "Versions[].[IsLatest,Size]", "--output", "text");
        assertThat(versions.exit()).as(versions.err()).isZero();
        assertThat(versions.out().lines().toList()).containsExactly("True\t22", "False\t21");

        var listing = aws(dir, "s3", "ls", "s3://cli-orders/orders/");
        assertThat(listing.exit()).as(listing.err()).isZero();
        assertThat(listing.out()).contains("o-1.json");

        var download = aws(dir, "s3", "cp", "s3://cli-orders/orders/o-1.json", "back.json");
        assertThat(download.exit()).as(download.err()).isZero();
        assertThat(Files.readString(dir.resolve("back.json"))).isEqualTo("{\"status\":\"COMPLETED\"}");

        var removed = aws(dir, "s3", "rm", "s3://cli-orders/orders/", "--recursive");
        assertThat(removed.exit()).as(removed.err()).isZero();
        assertThat(aws(dir, "s3", "ls", "s3://cli-orders/orders/").out()).doesNotContain("o-1.json");
        var markers = aws(dir, "s3api", "list-object-versions", "--bucket", "cli-orders",
                "--query", "length(DeleteMarkers)", "--output", "text");
        assertThat(markers.out().trim()).isEqualTo("1");
    }

    @Test
    void anUnknownKey_isTheCli404(@TempDir Path dir) throws Exception {
        aws(dir, "s3api", "create-bucket", "--bucket", "cli-errors");
        var missing = aws(dir, "s3api", "get-object", "--bucket", "cli-errors", "--key", "nope", "out.bin");
        assertThat(missing.exit()).isNotZero();
        assertThat(missing.err()).contains("NoSuchKey");
    }
}
