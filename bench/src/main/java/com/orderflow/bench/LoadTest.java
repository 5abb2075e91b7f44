package com.orderflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code mvn -Pload}: the sustained-load run of the local stack over loopback. Starts the stack as its own JVM
 * (persistent storage, as {@code mvn -Plocal} runs it) and drives it with clients POSTing the test-payloads mix
 * at an offered rate for a number of minutes, one table row a minute, then for a closed-loop minute that measures
 * what the stack finishes ({@link SustainedLoad}); then, for the persistent ÷ in-memory target, the closed-loop
 * minute on an in-memory stack. Ends with the targets' verdict. Exits non-zero on any 5xx or other failed request,
 * lost order or wrong final status; a missed target is reported, not fatal.
 *
 * <p>System properties: {@code load.minutes} (windows, default 10), {@code load.window} (seconds per window, 60),
 * {@code load.rate} (orders a second all clients offer together, 500; 0
 * runs the windows as a closed loop), {@code load.saturation} (seconds of the closed-loop window after them, 60; 0
 * skips it), {@code load.clients} (16), {@code load.inMemory} (false: true loads an in-memory stack only),
 * {@code load.compareMinutes} (0 skips the in-memory run; without a closed-loop window it runs that many windows,
 * default 1), {@code load.warmup} (seconds before the first window, over which an offered rate ramps up from a tenth, 60), {@code load.sampleEvery} (one accepted order
 * in that many is timed to its final status, 10).
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
                Duration.ofSeconds(notNegative("load.warmup", (int) standard.warmup().toSeconds())),
                positive("load.sampleEvery", standard.sampleEvery()), inMemory, rate(standard.rate()),
                Duration.ofSeconds(notNegative("load.saturation", (int) standard.saturation().toSeconds())));
        String loadBefore = loadAverage();

        var run = SustainedLoad.run(root, settings, System.out);
        SustainedLoad.Result peer = null;
        if (!inMemory && compareMinutes > 0) {
            peer = SustainedLoad.run(root, settings.inMemoryPeer(compareMinutes), System.out);
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

    /** {@code load.rate}: orders a second, 0 for a closed loop. */
    private static double rate(double fallback) {
        String value = System.getProperty("load.rate");
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            double rate = Double.parseDouble(value.trim());
            if (rate >= 0 && Double.isFinite(rate)) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // reported below with the other unusable values
        }
        throw new IllegalArgumentException("-Dload.rate=" + value + ": orders a second, at least 0 (0 for a closed loop)");
    }

    private static int notNegative(String name, int fallback) {
        int value = intProperty(name, fallback);
        if (value < 0) {
            throw new IllegalArgumentException("-D" + name + "=" + value + ": must be at least 0");
        }
        return value;
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
