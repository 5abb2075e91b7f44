package com.orderflow.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What issue 19 asks of the whole project's sources, every module at once (this module sees the repository):
 * one Lambda {@code Context} implementation for tests, the local stack, priming and the benchmarks, and no two
 * top-level types of one simple name unless one is the other's test ({@code Links} and {@code LinksTest}).
 */
class ProjectShapeTest {

    private static final Path ROOT = LocalStackBenchmark.rootFrom(new String[0]);
    private static final Pattern IMPLEMENTS_CONTEXT = Pattern.compile(
            "implements[^{]*\\b(com\\.amazonaws\\.services\\.lambda\\.runtime\\.)?Context\\b(?!\\.)");

    @Test
    void oneLambdaContext_inTheWholeProject() throws IOException {
        var implementations = javaSources().stream()
                .filter(source -> IMPLEMENTS_CONTEXT.matcher(read(source)).find())
                .map(source -> ROOT.relativize(source).toString())
                .toList();

        assertThat(implementations).containsExactly("functions/src/main/java/com/orderflow/aws/InvocationContext.java");
    }

    @Test
    void noTwoTopLevelTypes_shareASimpleName() throws IOException {
        var byName = new TreeMap<String, List<String>>();
        for (var source : javaSources()) {
            var name = source.getFileName().toString().replace(".java", "");
            if (!name.equals("package-info") && !name.equals("module-info")) {
                byName.computeIfAbsent(name, n -> new ArrayList<>()).add(ROOT.relativize(source).toString());
            }
        }
        var shared = new TreeMap<String, List<String>>();
        byName.forEach((name, paths) -> {
            if (paths.size() > 1) {
                shared.put(name, paths);
            }
        });

        assertThat(byName).hasSizeGreaterThan(300);
        assertThat(shared).isEmpty();
    }

    private static List<Path> javaSources() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> ROOT.relativize(f).toString().contains("/src/"))
                    .filter(f -> !ROOT.relativize(f).startsWith(".orderflow"))
                    .sorted()
                    .toList();
        }
    }

    private static String read(Path source) {
        try {
            return Files.readString(source);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
