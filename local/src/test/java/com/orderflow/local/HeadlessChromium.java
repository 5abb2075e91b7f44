package com.orderflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.orderflow.json.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real headless Chromium driven over the W3C WebDriver protocol by Debian's chromedriver.
 * Just enough of the protocol for the browser tests: navigate, run a script, take a screenshot.
 */
final class HeadlessChromium implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final ObjectMapper JSON = Json.mapper();

    private final Process driver;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String sessionId;
    private final Path profile;

    HeadlessChromium() throws IOException, InterruptedException {
        int port;
        try (var socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        driver = new ProcessBuilder(CHROMEDRIVER.toString(), "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        base = URI.create("http://127.0.0.1:" + port);
        awaitDriverReady();
        profile = Files.createTempDirectory("orderflow-chromium");
        // flags keep Chromium off the network: this machine reaches only loopback
        var args = List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1400,1800", "--user-data-dir=" + profile);
        var capabilities = Map.of("capabilities", Map.of("alwaysMatch", Map.of(
                "browserName", "chrome",
                "goog:chromeOptions", Map.of("binary", CHROMIUM.toString(), "args", args))));
        sessionId = call("POST", "/session", capabilities).path("sessionId").asText();
    }

    private void awaitDriverReady() throws InterruptedException, IOException {
        var deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            try {
                var ready = call("GET", "/status", null).path("ready").asBoolean(false);
                if (ready) {
                    return;
                }
            } catch (IOException notYet) {
                // chromedriver is still starting
            }
            Thread.sleep(100);
        }
        throw new IOException("chromedriver did not become ready on " + base);
    }

    void open(String url) throws IOException, InterruptedException {
        call("POST", "/session/" + sessionId + "/url", Map.of("url", url));
    }

    /** Runs {@code script} (a function body; use {@code return}) in the page and returns its JSON value. */
    JsonNode script(String script) throws IOException, InterruptedException {
        return call("POST", "/session/" + sessionId + "/execute/sync", Map.of("script", script, "args", List.of()));
    }

    /** Polls {@code condition} (a JS expression) until it is true or the timeout passes. */
    boolean waitFor(String condition, Duration timeout) throws IOException, InterruptedException {
        var deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (script("return !!(" + condition + ");").asBoolean(false)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    void screenshot(Path file) throws IOException, InterruptedException {
        var png = Base64.getDecoder().decode(call("GET", "/session/" + sessionId + "/screenshot", null).asText());
        Files.createDirectories(file.getParent());
        Files.write(file, png);
    }

    private JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        var response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        var json = JSON.readTree(response.body());
        if (response.statusCode() >= 400) {
            throw new IOException("WebDriver " + method + " " + path + " → " + response.statusCode() + ": "
                    + json.path("value").path("message").asText());
        }
        return json.path("value");
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (sessionId != null) {
                call("DELETE", "/session/" + sessionId, null);
            }
        } finally {
            driver.destroy();
            driver.waitFor();
        }
    }
}
