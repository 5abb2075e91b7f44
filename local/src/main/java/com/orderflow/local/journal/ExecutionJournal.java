package com.orderflow.local.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.sfn.ExecutionRecord;
import com.orderflow.local.sfn.ExecutionStore;
import com.orderflow.local.sfn.InMemoryExecutionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * An {@link ExecutionStore} that survives restarts: every execution is an append-only file of JSON
 * lines (its start, each history event, its end) under one directory, forced to disk at every
 * state transition and at the end. Opening the directory again rebuilds every execution with its
 * history; those that have a start but no end were interrupted and are listed by {@link #interrupted()}.
 */
public final class ExecutionJournal implements ExecutionStore, AutoCloseable {

    private static final String SUFFIX = ".jsonl";

    private final Path directory;
    private final InMemoryExecutionStore memory = new InMemoryExecutionStore();
    private final ConcurrentHashMap<String, Writer> writers = new ConcurrentHashMap<>();
    private final List<ExecutionRecord> interrupted;
    private volatile boolean closed;

    private ExecutionJournal(Path directory, List<ExecutionRecord> interrupted) {
        this.directory = directory;
        this.interrupted = List.copyOf(interrupted);
    }

    /** Opens (creating if needed) a journal directory and reads back every execution in it. */
    public static ExecutionJournal open(Path directory) throws IOException {
        Files.createDirectories(directory);
        var loaded = new ArrayList<ExecutionRecord>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
                read(file).ifPresent(loaded::add);
            }
        }
        var interrupted = loaded.stream()
                .filter(record -> record.status() == ExecutionStatus.RUNNING)
                .sorted(Comparator.comparing(ExecutionRecord::startDate))
                .toList();
        var result = new ExecutionJournal(directory, interrupted);
        loaded.forEach(result.memory::putIfAbsent);
        return result;
    }

    /** The executions found RUNNING when the journal was opened: the process stopped while they ran. */
    public List<ExecutionRecord> interrupted() {
        return interrupted;
    }

    /** How many executions the journal holds for a state machine. */
    public int size(String stateMachineArn) {
        return memory.list(stateMachineArn).size();
    }

    /**
     * Ends an execution that cannot continue (e.g. it was interrupted by a restart): appends an
     * {@code ExecutionFailed} event to its history and records it FAILED.
     */
    public void fail(ExecutionRecord record, String error, String cause, Instant at) {
        var history = record.history();
        long previous = history.isEmpty() ? 0 : history.getLast().id();
        ObjectNode details = Json.mapper().createObjectNode();
        details.putObject("executionFailedEventDetails").put("error", error).put("cause", cause);
        var event = new HistoryEvent(previous + 1, previous, at, "ExecutionFailed", details);
        record.append(event);
        appended(record, event);
        if (record.finish(new ExecutionOutcome.Failed(error, cause), at)) {
            ended(record);
        }
    }

    @Override
    public ExecutionRecord putIfAbsent(ExecutionRecord execution) {
        ExecutionRecord existing = memory.putIfAbsent(execution);
        if (existing == null) {
            var start = Json.mapper().createObjectNode()
                    .put("kind", "start")
                    .put("executionArn", execution.executionArn())
                    .put("name", execution.name())
                    .put("stateMachineArn", execution.stateMachineArn())
                    .put("stateMachineName", execution.stateMachineName())
                    .put("input", execution.input())
                    .put("startDate", execution.startDate().toString());
            writer(execution).write(start, true);
        }
        return existing;
    }

    @Override
    public Optional<ExecutionRecord> find(String executionArn) {
        return memory.find(executionArn);
    }

    @Override
    public List<ExecutionRecord> list(String stateMachineArn) {
        return memory.list(stateMachineArn);
    }

    @Override
    public void appended(ExecutionRecord execution, HistoryEvent event) {
        var line = Json.mapper().createObjectNode()
                .put("kind", "event")
                .put("id", event.id())
                .put("previousEventId", event.previousEventId())
                .put("timestamp", event.timestamp().toString())
                .put("type", event.type());
        if (event.details() != null) {
            line.set("details", event.details());
        }
        writer(execution).write(line, isTransition(event.type()));
    }

    @Override
    public void ended(ExecutionRecord execution) {
        var line = Json.mapper().createObjectNode()
                .put("kind", "end")
                .put("status", execution.status().name())
                .put("stopDate", String.valueOf(execution.stopDate()));
        if (execution.output() != null) {
            line.put("output", execution.output());
        }
        if (execution.error() != null) {
            line.put("error", execution.error());
        }
        if (execution.cause() != null) {
            line.put("cause", execution.cause());
        }
        Writer writer = writer(execution);
        writer.write(line, true);
        writers.remove(execution.executionArn(), writer);
        writer.close();
    }

    /** Forces and closes every open file; executions still running stay RUNNING in the journal. */
    @Override
    public void close() {
        closed = true;
        writers.values().forEach(Writer::close);
        writers.clear();
    }

    /** A state was entered or left, or the execution started or ended: worth a trip to the disk. */
    private static boolean isTransition(String type) {
        return type.endsWith("StateExited") || type.endsWith("StateEntered") || type.startsWith("Execution");
    }

    private Writer writer(ExecutionRecord execution) {
        return writers.computeIfAbsent(execution.executionArn(), arn -> {
            if (closed) {
                throw new IllegalStateException("the execution journal is closed");
            }
            return new Writer(directory.resolve(fileName(execution)));
        });
    }

    static String fileName(ExecutionRecord execution) {
        String safe = execution.name().replaceAll("[^A-Za-z0-9_.-]", "_");
        if (safe.length() > 80) {
            safe = safe.substring(0, 80);
        }
        return safe + "." + shortHash(execution.executionArn()) + SUFFIX;
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rebuilds one execution from its file; empty when the file has no readable start line. */
    static Optional<ExecutionRecord> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        ExecutionRecord record = null;
        var events = new ArrayList<HistoryEvent>();
        JsonNode end = null;
        for (String text : lines) {
            JsonNode line;
            try {
                line = Json.mapper().readTree(text);
            } catch (JsonProcessingException e) {
                // a line torn by a crash mid-write: everything before it is intact
                continue;
            }
            if (line == null || !line.isObject()) {
                continue;
            }
            switch (line.path("kind").asText()) {
                case "start" -> record = new ExecutionRecord(
                        line.path("executionArn").asText(),
                        line.path("name").asText(),
                        line.path("stateMachineArn").asText(),
                        line.path("stateMachineName").asText(),
                        line.path("input").asText(),
                        Instant.parse(line.path("startDate").asText()));
                case "event" -> events.add(new HistoryEvent(
                        line.path("id").asLong(),
                        line.path("previousEventId").asLong(),
                        Instant.parse(line.path("timestamp").asText()),
                        line.path("type").asText(),
                        line.get("details") instanceof ObjectNode details ? details : null));
                case "end" -> end = line;
                default -> {
                    // unknown kinds come from a newer writer; skip them
                }
            }
        }
        if (record == null) {
            return Optional.empty();
        }
        // parallel branches may write their events in a different order than their ids
        events.sort(Comparator.comparingLong(HistoryEvent::id));
        long lastId = 0;
        for (HistoryEvent event : events) {
            if (event.id() != lastId) {
                record.append(event);
                lastId = event.id();
            }
        }
        if (end != null) {
            record.finish(outcome(end), Instant.parse(end.path("stopDate").asText()));
        }
        return Optional.of(record);
    }

    private static ExecutionOutcome outcome(JsonNode end) {
        String error = end.path("error").isTextual() ? end.path("error").asText() : null;
        String cause = end.path("cause").isTextual() ? end.path("cause").asText() : null;
        return switch (ExecutionStatus.valueOf(end.path("status").asText())) {
            case SUCCEEDED -> new ExecutionOutcome.Succeeded(parseOutput(end.path("output")));
            case TIMED_OUT -> new ExecutionOutcome.TimedOut(error, cause);
            case ABORTED -> new ExecutionOutcome.Aborted(error, cause);
            case FAILED, RUNNING -> new ExecutionOutcome.Failed(error, cause);
        };
    }

    private static JsonNode parseOutput(JsonNode output) {
        if (!output.isTextual()) {
            return null;
        }
        try {
            return Json.mapper().readTree(output.asText());
        } catch (JsonProcessingException e) {
            return Json.mapper().getNodeFactory().textNode(output.asText());
        }
    }

    /**
     * Appends lines to one execution's file. A stream rather than a FileChannel: the engine interrupts
     * an execution's threads when it fails, and an interrupted thread would close a channel mid-write.
     */
    private static final class Writer {
        private final FileOutputStream out;

        Writer(Path file) {
            try {
                out = new FileOutputStream(file.toFile(), true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open execution journal " + file, e);
            }
        }

        synchronized void write(JsonNode line, boolean force) {
            try {
                byte[] json = Json.mapper().writeValueAsBytes(line);
                byte[] bytes = Arrays.copyOf(json, json.length + 1);
                bytes[json.length] = '\n';
                out.write(bytes);
                if (force) {
                    out.getFD().sync();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the execution journal", e);
            }
        }

        synchronized void close() {
            try {
                if (out.getFD().valid()) {
                    out.getFD().sync();
                }
                out.close();
            } catch (IOException e) {
                // nothing more can be saved; the lines written so far are what the file holds
            }
        }
    }
}
