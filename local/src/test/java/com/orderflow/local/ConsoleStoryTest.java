package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.orderflow.json.Json;
import com.orderflow.local.console.Console;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees in the terminal of a running stack: each request, and how each order ended. */
class ConsoleStoryTest {

    @TempDir
    Path scratch;

    private final ByteArrayOutputStream terminal = new ByteArrayOutputStream();

    @Test
    void eachOrderEndsInOneLineThatSaysItsStatusAndWhyItFailed() throws Exception {
        try (var running = RunningStack.inMemory(scratch, console(Console.Verbosity.NORMAL, Console.Format.TEXT))) {
            String completed = running.accept(RunningStack.payload("order-completed.json"), "story-1");
            String declined = running.accept(RunningStack.payload("order-payment-declined.json"), "story-2");
            String failed = running.accept(RunningStack.payload("order-payment-gateway-error.json"), "story-3");

            assertThat(awaitLine(line -> line.contains("order " + completed + " ")))
                    .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} order " + completed + " COMPLETED in \\d+(\\.\\d)? m?s");
            assertThat(awaitLine(line -> line.contains("order " + declined + " ")))
                    .contains("order " + declined + " REJECTED in ").endsWith(": Payment.Declined: card declined (tok_chargeDeclined)");
            assertThat(awaitLine(line -> line.contains("order " + failed + " ")))
                    .contains("order " + failed + " FAILED in ")
                    .contains(": AuthorizePayment failed with com.orderflow.order.payment.PaymentGatewayException"
                            + " (Payment.GatewayError: gateway rejected the request (tok_gatewayError))");
            assertThat(lines()).anyMatch(line -> line.matches(
                    "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} POST /orders 202 \\d+ ms  order " + completed));
        }
    }

    @Test
    void quietSaysOnlyTheFailures() throws Exception {
        try (var running = RunningStack.inMemory(scratch, console(Console.Verbosity.QUIET, Console.Format.TEXT))) {
            String completed = running.accept(RunningStack.payload("order-completed.json"), "quiet-1");
            String failed = running.accept(RunningStack.payload("order-payment-gateway-error.json"), "quiet-2");
            running.awaitFinal(completed);
            assertThat(awaitLine(line -> line.contains("order " + failed + " FAILED"))).isNotNull();
            assertThat(lines()).noneMatch(line -> line.contains(completed) || line.contains("POST /orders"));
        }
    }

    @Test
    void jsonWritesOneObjectPerLineWithTheSameFacts() throws Exception {
        try (var running = RunningStack.inMemory(scratch, console(Console.Verbosity.NORMAL, Console.Format.JSON))) {
            String failed = running.accept(RunningStack.payload("order-payment-gateway-error.json"), "json-1");
            var line = Json.mapper().readTree(awaitLine(l -> l.contains("\"execution\"") && l.contains(failed)));
            assertThat(line.path("orderId").asText()).isEqualTo(failed);
            assertThat(line.path("status").asText()).isEqualTo("FAILED");
            assertThat(line.path("failedState").asText()).isEqualTo("AuthorizePayment");
            assertThat(line.path("error").asText()).isEqualTo("com.orderflow.order.payment.PaymentGatewayException");
            assertThat(line.path("millis").isIntegralNumber()).isTrue();
            for (String each : lines()) {
                assertThat(Json.mapper().readTree(each).path("event").asText()).as(each)
                        .isIn("startup", "warning", "request", "execution", "log");
            }
            assertThat(lines()).anyMatch(each -> each.contains("\"event\":\"request\"") && each.contains(failed));
        }
    }

    private Console console(Console.Verbosity verbosity, Console.Format format) {
        return new Console(new PrintStream(terminal, true, StandardCharsets.UTF_8), verbosity, format,
                Clock.systemDefaultZone());
    }

    private List<String> lines() {
        synchronized (terminal) {
            return Arrays.stream(terminal.toString(StandardCharsets.UTF_8).split("\n")).filter(l -> !l.isBlank()).toList();
        }
    }

    /** The execution's line comes once its closing event is durable, a moment after the order's final status. */
    private String awaitLine(Predicate<String> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            var found = lines().stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no such line in:\n" + String.join("\n", lines()));
    }
}
