package com.orderflow.local.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
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
 * curl, as the README's commands use it. curl sends {@code Expect: 100-continue} on its own for large bodies (over
 * 1 KiB in older releases, over 1 MiB in 7.88) and, without the interim answer, waits a second before it sends.
 */
class CurlTest {

    static BlockingHttpServer server;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed");
        server = BlockingHttpServer.start(InetAddress.getLoopbackAddress(), 0, new Echo(),
                ServerLimits.defaults().withMaxBodyBytes(4 * 1024 * 1024));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    record Run(int exit, String out, String err) {
    }

    static Run curl(Path dir, String... args) throws Exception {
        var command = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "-v", "--max-time", "20"));
        command.addAll(List.of(args));
        var out = dir.resolve("out.txt");
        var err = dir.resolve("err.txt");
        var process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("curl did not finish: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    static Path body(Path dir, int size) throws IOException {
        var file = dir.resolve("body.txt");
        Files.writeString(file, "x".repeat(size));
        return file;
    }

    @Test
    void postWithExpectContinue_getsOneHundredContinue_andTheBodyArrivesWhole(@TempDir Path dir) throws Exception {
        var run = curl(dir, "--data-binary", "@" + body(dir, 4000), "-H", "Expect: 100-continue", url("/asked"));

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("> Expect: 100-continue").contains("< HTTP/1.1 100 Continue");
        assertThat(run.out()).isEqualTo("POST /asked ?null\n" + "x".repeat(4000));
    }

    @Test
    void largePost_whereCurlExpectsOnItsOwn_getsOneHundredContinue(@TempDir Path dir) throws Exception {
        int size = 1536 * 1024;

        var run = curl(dir, "--data-binary", "@" + body(dir, size), url("/large"));

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.err()).contains("> Expect: 100-continue").contains("< HTTP/1.1 100 Continue");
        assertThat(run.out()).hasSize("POST /large ?null\n".length() + size);
    }

    @Test
    void chunkedUpload_isReassembled(@TempDir Path dir) throws Exception {
        var run = curl(dir, "--data-binary", "@" + body(dir, 3000), "-H", "Transfer-Encoding: chunked", url("/chunked"));

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("POST /chunked ?null\n" + "x".repeat(3000));
    }

    @Test
    void bodyOverTheLimit_is413BeforeCurlSendsIt(@TempDir Path dir) throws Exception {
        var small = BlockingHttpServer.start(InetAddress.getLoopbackAddress(), 0, new Echo(),
                ServerLimits.defaults().withMaxBodyBytes(2000));
        try (small) {
            var run = curl(dir, "--data-binary", "@" + body(dir, 5000), "-H", "Expect: 100-continue", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://127.0.0.1:" + small.port() + "/");

            assertThat(run.out()).isEqualTo("413");
            assertThat(run.err()).doesNotContain("100 Continue");
        }
    }

    @Test
    void headAndHttp10_areAnsweredAsCurlExpects(@TempDir Path dir) throws Exception {
        var head = curl(dir, "-I", url("/h"));
        var old = curl(dir, "--http1.0", url("/old"));

        assertThat(head.exit()).as(head.err()).isZero();
        assertThat(head.out()).startsWith("HTTP/1.1 200 OK").contains("Content-Length: 14");
        assertThat(old.exit()).as(old.err()).isZero();
        assertThat(old.out()).isEqualTo("GET /old ?null\n");
    }
}
