package com.orderflow.local.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleTest {

    private static final Clock NOON = Clock.fixed(Instant.parse("2026-12-07T12:00:00.250Z"), ZoneOffset.UTC);
    private static final String INFO = "{\"level\":\"INFO\",\"route\":\"/orders\",\"status\":202}";
    private static final String ERROR = "{\"level\":\"ERROR\",\"message\":\"boom\"}";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void functionLogs_areFilteredByTheirLevel_asLambdaFiltersJsonLogs() {
        var normal = console(Console.Verbosity.NORMAL, Console.Format.TEXT);
        normal.functionLog("api", INFO + "\n");
        normal.functionLog("api", ERROR);
        normal.functionLog("persist", "plain text from a handler");
        assertThat(printed()).isEqualTo("12:00:00.250 [api] " + ERROR + "\n12:00:00.250 [persist] plain text from a handler\n");

        out.reset();
        var quiet = console(Console.Verbosity.QUIET, Console.Format.TEXT);
        quiet.functionLog("api", INFO);
        quiet.functionLog("persist", "plain text from a handler");
        quiet.functionLog("api", ERROR);
        assertThat(printed()).isEqualTo("12:00:00.250 [api] " + ERROR + "\n");

        out.reset();
        console(Console.Verbosity.VERBOSE, Console.Format.TEXT).functionLog("api", INFO);
        assertThat(printed()).isEqualTo("12:00:00.250 [api] " + INFO + "\n");
    }

    @Test
    void aRequestLine_saysMethodPathStatusTimeAndOrder_orThatServingFailed() {
        var console = console(Console.Verbosity.NORMAL, Console.Format.TEXT);
        console.request("POST", "/orders", Optional.of(202), Duration.ofMillis(12), Optional.of("ord_1"));
        console.request("GET", "/orders", Optional.empty(), Duration.ofMillis(3), Optional.empty());
        assertThat(printed()).isEqualTo("12:00:00.250 POST /orders 202 12 ms  order ord_1\n"
                + "12:00:00.250 GET /orders failed 3 ms\n");

        out.reset();
        console(Console.Verbosity.QUIET, Console.Format.TEXT)
                .request("POST", "/orders", Optional.of(202), Duration.ofMillis(12), Optional.of("ord_1"));
        assertThat(printed()).isEmpty();
    }

    @Test
    void json_putsTheSameFactsInFields() {
        console(Console.Verbosity.NORMAL, Console.Format.JSON)
                .request("POST", "/orders", Optional.of(429), Duration.ofMillis(1), Optional.empty());
        assertThat(printed()).isEqualTo("{\"time\":\"2026-12-07T12:00:00.250Z\",\"event\":\"request\",\"method\":\"POST\","
                + "\"path\":\"/orders\",\"millis\":1,\"status\":429}\n");
    }

    private Console console(Console.Verbosity verbosity, Console.Format format) {
        return new Console(new PrintStream(out, true, StandardCharsets.UTF_8), verbosity, format, NOON);
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
