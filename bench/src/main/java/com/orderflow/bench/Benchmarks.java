package com.orderflow.bench;

import java.nio.file.Path;

/**
 * {@code mvn -Pbench}: runs every benchmark and prints one table. For now it holds the local-stack
 * benchmark in both storage modes; other benchmarks add their rows here.
 */
public final class Benchmarks {

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Path root = LocalStackBenchmark.rootFrom(args);
        System.out.println();
        System.out.printf("%-42s %10s %10s %10s %12s %12s%n", "benchmark", "orders/s", "POST p50", "POST p99",
                "final p50", "final p99");
        for (boolean persistent : new boolean[] {false, true}) {
            var figures = LocalStackBenchmark.run(root, LocalStackBenchmark.Settings.standard(persistent));
            System.out.printf("%-42s %10.0f %8.1fms %8.1fms %10.0fms %10.0fms%n",
                    "local stack, " + figures.mode(), figures.acceptedPerSecond(), figures.postP50Millis(),
                    figures.postP99Millis(), figures.finalP50Millis(), figures.finalP99Millis());
            System.out.println("  " + figures.describe());
        }
    }
}
