package com.orderflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code mvn -Pload}: the sustained-load run of the local stack over loopback. Starts the stack as its own JVM
 * (persistent storage, as {@code mvn -Plocal} runs it) and drives it with closed-loop clients POSTing the
 * test-payloads mix for a number of minutes, one table row a minute ({@link SustainedLoad}); then, for the
 * persistent ÷ in-memory target, a shorter run of an in-memory stack. Ends with the targets' verdict. Exits
 * non-zero on any 5xx or other failed request, lost order or wrong final status; a missed target is reported, not
 * fatal.
 *
 * <p>System properties: {@code load.minutes} (default 10), {@code load.clients} (16), {@code load.inMemory}
 * (false: true loads an in-memory stack only), {@code load.compareMinutes} (the in-memory run, 1; 0 skips it),
 * {@code load.warmup} (seconds before the first minute, 10), {@code load.sampleEvery} (one accepted order in that
 * many is timed to its final status, 10), {@code load.window} (seconds per row, 60).
 */
public final class LoadTest {

    private LoadTest() {
    }

    public static void main(String[] args) throws Exception {
        Path root = LocalStackBenchmark.rootFrom(args);
        int minutes = positive("load.minutes", 10);
        boolean inMemory = Boolean.getBoolean("load.inMemory");
        int compareMinutes = Math.min(minutes, intProperty("load.compareMinutes", 1));
        var standard = SustainedLoad.Settings.standard(minutes, inMemory);
        var settings = new SustainedLoad.Settings(positive("load.clients", standard.clients()), minutes,
                Duration.ofSeconds(positive("load.window", (int) standard.window().toSeconds())),
                Duration.ofSeconds(intProperty("load.warmup", (int) standard.warmup().toSeconds())),
                positive("load.sampleEvery", standard.sampleEvery()), inMemory);
        String loadBefore = loadAverage();

        var run = SustainedLoad.run(root, settings, System.out);
        SustainedLoad.Result peer = null;
        if (!inMemory && compareMinutes > 0) {
            peer = SustainedLoad.run(root, new SustainedLoad.Settings(settings.clients(), compareMinutes, settings.window(),
                    settings.warmup(), settings.sampleEvery(), true), System.out);
        }

        var out = new StringBuilder();
        line(out, "");
        line(out, "orderflow sustained load: JDK %s, %d cores, load average before %s, after %s",
                System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(), loadBefore, loadAverage());
        line(out, "%s", LoadVerdict.line(run, peer));
        System.out.print(out);
        System.out.flush();
        boolean correct = run.correct() && (peer == null || peer.correct());
        System.exit(correct ? 0 : 1);
    }

    /** An integer system property; a value that is not one fails the run rather than falling back unseen. */
    static int intProperty(String name, int fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + "=" + value + ": not a whole number", e);
        }
    }

    private static int positive(String name, int fallback) {
        int value = intProperty(name, fallback);
        if (value <= 0) {
            throw new IllegalArgumentException("-D" + name + "=" + value + ": must be at least 1");
        }
        return value;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return String.format(Locale.ROOT, "%.2f", java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                    .getSystemLoadAverage());
        }
    }

    static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append(System.lineSeparator());
    }

    static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
