package com.orderflow.bench;

import com.orderflow.local.s3.LocalS3Server;
import com.orderflow.local.s3.OrdersBucket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local S3 on its persistent store, through the AWS SDK over loopback, as PersistOrder uses it: PutObject of
 * about 1 KB to a fresh key of a versioned bucket, timed one at a time on an empty bucket and again with
 * {@code versions} versions stored; then how long the server takes from start to its first answer on that store.
 */
final class S3Benchmark {

    private static final String BUCKET = "orderflow-orders-bench";
    private static final int WARM_UP = 500;
    private static final int MEASURED = 2_000;

    /** PutObject p50/p99 in ms on an empty bucket and a full one; start-up on the full store; its size on disk. */
    record Figures(int versions, double emptyP50, double emptyP99, double fullP50, double fullP99, long startMillis,
                   long diskBytes) {
    }

    private S3Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = LocalStackBenchmark.rootFrom(args);
        var figures = run(root, Integer.getInteger("bench.s3", 100_000));
        System.out.printf("local S3, %,d versions: PutObject empty p50 %.2f ms p99 %.2f ms; full p50 %.2f ms p99 %.2f ms;"
                        + " start %d ms; %,d bytes on disk%n", figures.versions(), figures.emptyP50(), figures.emptyP99(),
                figures.fullP50(), figures.fullP99(), figures.startMillis(), figures.diskBytes());
    }

    static Figures run(Path root, int versions) throws Exception {
        Path dir = root.resolve("bench/target/s3-bench");
        LoadTest.deleteRecursively(dir);
        Files.createDirectories(dir);
        byte[] body = ("{\"orderId\":\"ord_%s\",\"status\":\"RECEIVED\",\"customer\":{\"name\":\"Ada\",\"email\":\"ada@example.com\"},"
                .formatted(UUID.randomUUID()) + "\"pad\":\"" + "x".repeat(900) + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        double[] empty;
        double[] full;
        long diskBytes;
        try (var server = start(dir); var s3 = server.newClient()) {
            OrdersBucket.ensure(s3, BUCKET);
            time(s3, body, WARM_UP);
            empty = time(s3, body, MEASURED);
            fill(server, body, versions - WARM_UP - MEASURED);
            full = time(s3, body, MEASURED);
        }
        long started = System.nanoTime();
        try (var server = start(dir); var s3 = server.newClient()) {
            // from start to the store open and the port bound: what the stack waits for before it goes on
            long startMillis = (System.nanoTime() - started) / 1_000_000;
            s3.listObjectVersions(b -> b.bucket(BUCKET).maxKeys(1));
            diskBytes = sizeOf(dir);
            return new Figures(Math.toIntExact(server.versionCount()), percentile(empty, 50), percentile(empty, 99),
                    percentile(full, 50), percentile(full, 99), startMillis, diskBytes);
        }
    }

    private static LocalS3Server start(Path dir) throws Exception {
        return LocalS3Server.start(InetAddress.getLoopbackAddress(), 0, Optional.of(dir), Duration.ofMillis(20));
    }

    private static double[] time(S3Client s3, byte[] body, int count) {
        var millis = new double[count];
        for (int i = 0; i < count; i++) {
            String key = "orders/ord_" + UUID.randomUUID() + ".json";
            long t0 = System.nanoTime();
            s3.putObject(b -> b.bucket(BUCKET).key(key).contentType("application/json"), RequestBody.fromBytes(body));
            millis[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(millis);
        return millis;
    }

    /** Fills the bucket with 8 clients at once: the figures that matter are the timed ones. */
    private static void fill(LocalS3Server server, byte[] body, int count) throws Exception {
        var left = new AtomicInteger(count);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            var done = new java.util.ArrayList<Future<?>>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    try (var s3 = server.newClient()) {
                        while (left.getAndDecrement() > 0) {
                            String key = "orders/ord_" + UUID.randomUUID() + ".json";
                            s3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromBytes(body));
                        }
                    }
                    return null;
                }));
            }
            for (var future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static double percentile(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static long sizeOf(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
