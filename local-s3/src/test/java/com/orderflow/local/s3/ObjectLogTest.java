package com.orderflow.local.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectLogTest {

    @TempDir
    Path dir;

    @Test
    void readingBodiesFromEverySegment_keepsABoundedNumberOfFilesOpen_beforeAndAfterAReopen() throws Exception {
        int records = 3 * ObjectLog.MAX_OPEN;
        long[] locations;
        // a segment of 4 KiB holds one 3 KiB body: every body gets a segment of its own
        try (var log = ObjectLog.open(dir, 4096, Duration.ZERO, (at, kind, body) -> { })) {
            locations = appendOnePerSegment(log, records);
            readEachTwice(log, locations);
            assertThat(openFilesUnder(dir)).as("read handles, and the segment being written")
                    .isLessThanOrEqualTo(ObjectLog.MAX_OPEN + 1);
            assertThat(log.size()).isEqualTo(records * (3072L + 9));
        }
        var seen = new int[1];
        try (var log = ObjectLog.open(dir, 4096, Duration.ZERO, (at, kind, body) -> seen[0]++)) {
            assertThat(seen[0]).isEqualTo(records);
            assertThat(openFilesUnder(dir)).as("after the scan at open").isLessThanOrEqualTo(1);
            readEachTwice(log, locations);
            assertThat(openFilesUnder(dir)).as("read handles, and the segment being written")
                    .isLessThanOrEqualTo(ObjectLog.MAX_OPEN + 1);
        }
    }

    @Test
    void readsFromManyThreadsAcrossMoreSegmentsThanHandles_eachGetTheirBytes() throws Exception {
        int records = 3 * ObjectLog.MAX_OPEN;
        try (var log = ObjectLog.open(dir, 4096, Duration.ZERO, (at, kind, body) -> { })) {
            long[] locations = appendOnePerSegment(log, records);
            // each read of a segment without a handle closes another: before, one read's eviction closed the handle
            // another was reading from, and that read failed
            var failures = new java.util.concurrent.ConcurrentLinkedQueue<Throwable>();
            var threads = new java.util.ArrayList<Thread>();
            for (int t = 0; t < 8; t++) {
                var random = new java.util.Random(t);
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int n = 0; n < 4_000 && failures.isEmpty(); n++) {
                        int i = random.nextInt(records);
                        try {
                            byte first = log.read(locations[i], 0, 1)[0];
                            if (first != (byte) i) {
                                failures.add(new AssertionError("record " + i + " read as " + first));
                            }
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join(60_000);
            }
            assertThat(failures).isEmpty();
            assertThat(openFilesUnder(dir)).isLessThanOrEqualTo(ObjectLog.MAX_OPEN + 1);
        }
    }

    /** {@code records} bodies of 3 KiB, one per segment of 4 KiB; body byte 0 is its index. */
    private static long[] appendOnePerSegment(ObjectLog log, int records) throws java.io.IOException {
        var locations = new long[records];
        for (int i = 0; i < records; i++) {
            var body = new byte[3072];
            body[0] = (byte) i;
            locations[i] = log.append((byte) 1, ByteBuffer.wrap(body));
        }
        return locations;
    }

    private static void readEachTwice(ObjectLog log, long[] locations) {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < locations.length; i++) {
                assertThat(log.read(locations[i], 0, 1)[0]).isEqualTo((byte) i);
            }
        }
    }

    /** This process's open files under {@code directory}, from /proc (Linux). */
    private static long openFilesUnder(Path directory) throws Exception {
        String prefix = directory.toRealPath().toString();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (Exception e) {
                    return ""; // closed between the listing and the look
                }
            }).filter(target -> target.startsWith(prefix)).count();
        }
    }
}
