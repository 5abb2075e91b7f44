package com.orderflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import com.orderflow.local.sfn.StepFunctionsApi;
import com.orderflow.local.sfn.StepFunctionsException;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Hot reload: watches the workflow file and, on each save that changes it, publishes it as a new version of the
 * local state machine (UpdateStateMachine with {@code publish}, through the same API any client calls), printing
 * one line. A file that does not validate is reported with its diagnostics and nothing changes. Executions already
 * running keep the revision they started with; new ones (the API starts by the unqualified ARN) run the new one.
 */
final class WorkflowFileWatcher implements AutoCloseable {

    /** Editors save in bursts (truncate, write, rename); one publish per burst. */
    private static final Duration SETTLE = Duration.ofMillis(150);

    private final Path file;
    private final String shownName;
    private final UnaryOperator<String> render;
    private final StepFunctionsApi api;
    private final String stateMachineArn;
    private final Consumer<String> print;
    private final WatchService watcher;
    private final Thread thread;
    /** The rendered definition last published or found running, so an unchanged save publishes nothing. */
    private String current;

    private WorkflowFileWatcher(Path file, String shownName, UnaryOperator<String> render, StepFunctionsApi api,
                                String stateMachineArn, Consumer<String> print, WatchService watcher) {
        this.file = file;
        this.shownName = shownName;
        this.render = render;
        this.api = api;
        this.stateMachineArn = stateMachineArn;
        this.print = print;
        this.watcher = watcher;
        this.thread = Thread.ofPlatform().daemon(true).name("orderflow-workflow-watch").unstarted(this::watch);
    }

    /**
     * Starts watching {@code file}.
     *
     * @param render fills the file's placeholders as the start did
     * @param print  where the one line per save goes
     */
    static WorkflowFileWatcher start(Path file, String shownName, UnaryOperator<String> render, StepFunctionsApi api,
                                     String stateMachineArn, Consumer<String> print) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        if (directory == null) {
            throw new IOException("the workflow file " + file + " has no directory to watch");
        }
        var service = file.getFileSystem().newWatchService();
        try {
            // the directory, not the file: an editor that saves by renaming a new file over the old one replaces it
            directory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
        var watcher = new WorkflowFileWatcher(file, shownName, render, api, stateMachineArn, print, service);
        watcher.current = api.call("DescribeStateMachine", Json.mapper().createObjectNode()
                .put("stateMachineArn", stateMachineArn)).path("definition").asText();
        watcher.thread.start();
        return watcher;
    }

    private void watch() {
        try {
            while (true) {
                var key = watcher.take();
                boolean ours = false;
                do {
                    for (var event : key.pollEvents()) {
                        ours |= event.context() instanceof Path changed && changed.equals(file.getFileName());
                    }
                    key.reset();
                    key = watcher.poll(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
                } while (key != null);
                if (ours) {
                    reload();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed: the stack is stopping
        }
    }

    /** Publishes the file as it is now, or says why not; runs on the watch thread. */
    void reload() {
        String rendered;
        try {
            rendered = render.apply(Files.readString(file));
        } catch (IOException e) {
            print.accept(shownName + " could not be read (" + e.getMessage() + "); the running version stays");
            return;
        } catch (IllegalArgumentException e) {
            print.accept(shownName + " not published, the running version stays: " + e.getMessage());
            return;
        }
        if (rendered.equals(current)) {
            return;
        }
        var problems = problems(rendered);
        if (!problems.isEmpty()) {
            print.accept(shownName + " not published, the running version stays: " + String.join("; ", problems));
            return;
        }
        try {
            var published = api.call("UpdateStateMachine", Json.mapper().createObjectNode()
                    .put("stateMachineArn", stateMachineArn).put("definition", rendered).put("publish", true)
                    .put("versionDescription", "hot reload of " + shownName));
            current = rendered;
            var version = published.path("stateMachineVersionArn").asText();
            print.accept(shownName + " saved: published version " + version.substring(version.lastIndexOf(':') + 1)
                    + " (" + version + "); new executions run it, running ones finish on the version they started with");
        } catch (StepFunctionsException e) {
            print.accept(shownName + " not published, the running version stays: " + e.code() + ": " + e.getMessage());
        }
    }

    private List<String> problems(String definition) {
        JsonNode result = api.call("ValidateStateMachineDefinition", Json.mapper().createObjectNode()
                .put("definition", definition));
        var problems = new ArrayList<String>();
        for (JsonNode d : result.path("diagnostics")) {
            problems.add(d.path("code").asText() + ": " + d.path("message").asText()
                    + (d.hasNonNull("location") ? " at " + d.path("location").asText() : ""));
        }
        if (problems.isEmpty() && !result.path("result").asText().equals("OK")) {
            problems.add("the definition did not validate");
        }
        return problems;
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            // the watch thread ends either way
        }
        thread.interrupt();
    }
}
