package com.orderflow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/** What the local stack's output (as {@link StackProcess} keeps it) says went wrong: warnings, errors, exceptions. */
final class StackLog {

    private static final Pattern PROBLEM = Pattern.compile(
            "(?i)\\b(warn(ing)?|error|severe|exception|too many open files|timed? ?out)\\b|\"level\"\\s*:\\s*\"(WARN|ERROR)\"");
    private static final int SHOWN = 5;
    private static final int SHOWN_CHARS = 240;

    /** The first few distinct problem lines (cut to a sane length) and how many problem lines there were. */
    record Problems(List<String> first, long count) {
    }

    private StackLog() {
    }

    static Problems problems(Path log) {
        var first = new LinkedHashSet<String>();
        long count = 0;
        try (var lines = Files.lines(log, StandardCharsets.UTF_8)) {
            for (var line : (Iterable<String>) lines::iterator) {
                if (PROBLEM.matcher(line).find()) {
                    count++;
                    if (first.size() < SHOWN) {
                        first.add(line.length() > SHOWN_CHARS ? line.substring(0, SHOWN_CHARS) + "…" : line);
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return new Problems(List.of("could not read " + log + ": " + e.getMessage()), 1);
        }
        return new Problems(List.copyOf(first), count);
    }
}
