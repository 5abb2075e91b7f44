package com.orderflow.local.console;

import com.orderflow.local.engine.expr.JsonText;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the running stack tells its user: its start, then a line per request and a line per execution end, so that a
 * failed order says so where the user is looking. How much it says is the {@link Verbosity}; whether as text for
 * people or a JSON object per line for tools is the {@link Format}.
 */
public final class Console {

    /** How much the console says. */
    public enum Verbosity {
        /** Start-up, warnings, failed executions and errors logged by functions. */
        QUIET,
        /** Also a line per request, a line per execution end and functions' warnings. */
        NORMAL,
        /** Also everything the functions log (the API function's own access lines among them). */
        VERBOSE
    }

    /** How each line is written. */
    public enum Format {
        /** For a person at a terminal. */
        TEXT,
        /** One JSON object per line, with an {@code event} field, for {@code jq} or a log shipper. */
        JSON
    }

    /** Causes are often a whole error document; a console line keeps its start. */
    private static final int MAX_DETAIL = 240;

    private final PrintStream out;
    private final Verbosity verbosity;
    private final Format format;
    private final Clock clock;

    public Console(PrintStream out, Verbosity verbosity, Format format, Clock clock) {
        this.out = Objects.requireNonNull(out);
        this.verbosity = Objects.requireNonNull(verbosity);
        this.format = Objects.requireNonNull(format);
        this.clock = Objects.requireNonNull(clock);
    }

    /** Text at normal verbosity, on the system clock. */
    public static Console text(PrintStream out) {
        return new Console(out, Verbosity.NORMAL, Format.TEXT, Clock.systemDefaultZone());
    }

    public Verbosity verbosity() {
        return verbosity;
    }

    /** A start-up step ({@code [1/4] S3 ... ready}) or what recovery did; said even when quiet, as it is said once. */
    public void startup(String line) {
        emit(line, event("startup").put("message", line.strip()));
    }

    /** Something the user should act on; always said. */
    public void warning(String line) {
        emit(line, event("warning").put("message", line.strip()));
    }

    /** The stack is up: the banner for people, the endpoints for tools. */
    public void ready(String banner, Map<String, String> endpoints) {
        var event = event("ready");
        endpoints.forEach(event::put);
        emit(banner, event);
    }

    /** One request to the API; {@code status} is empty when the server failed before it could answer. */
    public void request(String method, String path, Optional<Integer> status, Duration took, Optional<String> orderId) {
        if (verbosity == Verbosity.QUIET) {
            return;
        }
        if (format == Format.JSON) {
            var event = event("request").put("method", method).put("path", path).put("millis", took.toMillis());
            status.ifPresentOrElse(s -> event.put("status", s), () -> event.putNull("status"));
            orderId.ifPresent(id -> event.put("orderId", id));
            out.println(JsonText.write(event));
            return;
        }
        var text = time().append(' ').append(method).append(' ').append(path).append(' ')
                .append(status.map(String::valueOf).orElse("failed")).append(' ').append(took.toMillis()).append(" ms");
        orderId.ifPresent(id -> text.append("  order ").append(id));
        out.println(text);
    }

    /** How an execution ended; quiet says only the failed ones. Only the configured format is built: one a line. */
    public void executionEnded(ExecutionEnd end, boolean isOrder) {
        if (verbosity == Verbosity.QUIET && !end.failed()) {
            return;
        }
        if (format == Format.JSON) {
            var event = event("execution").put(isOrder ? "orderId" : "execution", end.name())
                    .put("stateMachine", end.stateMachine()).put("status", end.status())
                    .put("executionStatus", end.execution().name()).put("millis", end.duration().toMillis());
            end.failedState().ifPresent(state -> event.put("failedState", state));
            end.error().ifPresent(error -> event.put("error", error));
            end.detail().ifPresent(detail -> event.put(end.failed() ? "cause" : "reason", detail));
            out.println(JsonText.write(event));
            return;
        }
        var text = time().append(' ');
        if (isOrder) {
            text.append("order ").append(end.name());
        } else {
            text.append("execution ").append(end.name()).append(" (").append(end.stateMachine()).append(')');
        }
        text.append(' ').append(end.status()).append(" in ").append(readable(end.duration()));
        end.failedState().ifPresent(state -> text.append(": ").append(state).append(" failed"));
        end.error().ifPresent(error -> text.append(end.failedState().isPresent() ? " with " : ": ").append(error));
        end.detail().ifPresent(detail -> text.append(end.error().isPresent() || end.failedState().isPresent()
                ? " (" + shortened(detail) + ")" : ": " + shortened(detail)));
        out.println(text);
    }

    /**
     * A line a function logged. A JSON line's {@code level} decides, as Lambda's log-level filtering reads it: normal
     * shows WARN and above and any line that is not structured, quiet only ERROR and FATAL, verbose everything.
     */
    public void functionLog(String function, String message) {
        String line = message.strip();
        if (line.isEmpty()) {
            return;
        }
        Optional<JsonNode> structured = structured(line);
        String level = structured.map(json -> json.path("level").asText("")).orElse("");
        boolean shown = switch (verbosity) {
            case VERBOSE -> true;
            case NORMAL -> structured.isEmpty() || level.isEmpty() || isAtLeastWarn(level);
            case QUIET -> level.equals("ERROR") || level.equals("FATAL");
        };
        if (!shown) {
            return;
        }
        var event = event("log").put("function", function);
        structured.ifPresentOrElse(json -> event.set("record", json), () -> event.put("message", line));
        emit(time() + " [" + function + "] " + line, event);
    }

    private static boolean isAtLeastWarn(String level) {
        return level.equals("WARN") || level.equals("WARNING") || level.equals("ERROR") || level.equals("FATAL");
    }

    private static Optional<JsonNode> structured(String line) {
        if (!line.startsWith("{")) {
            return Optional.empty();
        }
        try {
            JsonNode json = JsonText.read(line);
            return json.isObject() ? Optional.of(json) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private ObjectNode event(String name) {
        return JsonText.NODES.objectNode().put("time", clock.instant().toString()).put("event", name);
    }

    /** {@code HH:mm:ss.SSS} of now, written by hand: a DateTimeFormatter costs more than the rest of a line. */
    private StringBuilder time() {
        var now = LocalTime.ofInstant(clock.instant(), clock.getZone());
        var text = new StringBuilder(96);
        twoDigits(text, now.getHour()).append(':');
        twoDigits(text, now.getMinute()).append(':');
        twoDigits(text, now.getSecond()).append('.');
        int millis = now.getNano() / 1_000_000;
        return text.append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10))
                .append((char) ('0' + millis % 10));
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** The start-up steps and the banner carry no time of day in text: they happen once, at start. */
    private void emit(String text, ObjectNode event) {
        out.println(format == Format.JSON ? JsonText.write(event) : text);
    }

    private static String readable(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return duration.toMinutes() + " min " + duration.toSecondsPart() + " s";
    }

    private static String shortened(String detail) {
        String oneLine = detail.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_DETAIL ? oneLine : oneLine.substring(0, MAX_DETAIL - 1) + "…";
    }
}
