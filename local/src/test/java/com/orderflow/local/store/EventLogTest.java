package com.orderflow.local.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the log acknowledges: who writes a start, and when the fsync comes in each durability mode. */
class EventLogTest {

    @TempDir
    Path dir;

    private static EventLog.Options options(Duration syncInterval) {
        return new EventLog.Options(64L << 20, 64L << 20, Duration.ofMillis(50), line -> { }, syncInterval);
    }

    @Test
    void aStartOnAPlatformThread_isWrittenByThatThread_whenTheWriterIsIdle() throws Exception {
        var writtenBy = new ArrayList<Thread>();
        try (var log = EventLog.open(dir, options(EventLog.Options.SYNC_INTERVAL), (l, k, b) -> { })) {
            for (int i = 0; i < 10; i++) {
                awaitIdleWriter(log); // it has synced and sleeps until woken (a loaded machine may take a while)
                var done = new CompletableFuture<Thread>();
                log.tryAppend(EventCodec.START, new byte[] {(byte) i}, location -> done.complete(Thread.currentThread()));
                assertThat(done).as("acknowledged before tryAppend returned").isDone();
                writtenBy.add(done.get());
            }
        }
        assertThat(writtenBy).containsOnly(Thread.currentThread());
    }

    private static void awaitIdleWriter(EventLog log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Thread.sleep(30);
        while (!log.writerIsIdle()) {
            assertThat(System.nanoTime()).as("the writer went idle").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void withSyncEachWrite_everyAcknowledgedBatchHadItsFsync_andWithTheInterval_sequentialStartsShareThem() throws Exception {
        int starts = 40;
        long eachWrite = fsyncsFor(options(Duration.ZERO), starts);
        long interval = fsyncsFor(options(Duration.ofSeconds(5)), starts);
        assertThat(eachWrite).isGreaterThanOrEqualTo(starts);
        assertThat(interval).as("written one by one, fsynced together").isLessThan(starts / 4);
    }

    private long fsyncsFor(EventLog.Options options, int starts) throws Exception {
        Path logDir = dir.resolve("log-" + options.syncInterval().toMillis());
        try (var log = EventLog.open(logDir, options, (l, k, b) -> { })) {
            for (int i = 0; i < starts; i++) {
                var done = new CompletableFuture<Long>();
                log.tryAppend(EventCodec.START, new byte[] {1, 2, 3}, done::complete);
                done.get(10, TimeUnit.SECONDS);
            }
            return log.stats().fsyncs();
        }
    }

    @Test
    void recordsAcknowledgedBeforeTheirFsync_areThereAfterAReopen() throws Exception {
        var acknowledged = new ArrayList<Long>();
        try (var log = EventLog.open(dir, options(Duration.ofSeconds(5)), (l, k, b) -> { })) {
            for (int i = 0; i < 25; i++) {
                var done = new CompletableFuture<Long>();
                log.append(EventCodec.EVENT, new byte[] {(byte) i, 7}, done::complete);
                acknowledged.add(done.get(10, TimeUnit.SECONDS));
            }
        }
        List<Long> found = new ArrayList<>();
        try (var log = EventLog.open(dir, options(Duration.ofSeconds(5)), (location, kind, body) -> found.add(location))) {
            assertThat(found).containsExactlyElementsOf(acknowledged);
        }
    }

    /** Three times as many records as read handles, each in a segment of its own; body byte 0 is its index. */
    private static final int RECORDS = 3 * LogSegments.MAX_READERS;

    private EventLog logOfOneRecordPerSegment() {
        // a segment of 4 KiB holds one 3 KiB record: every record gets a segment of its own
        var small = new EventLog.Options(4096, 64L << 20, Duration.ofMillis(50), line -> { }, Duration.ZERO);
        try {
            return EventLog.open(dir, small, (l, k, b) -> { });
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long[] appendOnePerSegment(EventLog log) throws Exception {
        var locations = new long[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            var body = new byte[3072];
            body[0] = (byte) i;
            var done = new CompletableFuture<Long>();
            log.append(EventCodec.EVENT, body, done::complete);
            locations[i] = done.get(10, TimeUnit.SECONDS);
        }
        return locations;
    }

    @Test
    void readingEverySegment_keepsAtMostABoundedNumberOfThemOpen_andEachRecordStillReads() throws Exception {
        int records = RECORDS;
        try (var log = logOfOneRecordPerSegment()) {
            var locations = appendOnePerSegment(log);
            assertThat(log.sealedSegments()).hasSizeGreaterThanOrEqualTo(records - 1);
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < records; i++) {
                    assertThat(log.read(locations[i]).get(1)).isEqualTo((byte) i);
                }
            }
            assertThat(openFilesUnder(dir)).as("read handles, plus the segment being written")
                    .isLessThanOrEqualTo(LogSegments.MAX_READERS + 1);
        }
    }

    @Test
    void readsFromManyThreadsAcrossMoreSegmentsThanHandles_eachGetTheirRecord() throws Exception {
        int records = RECORDS;
        try (var log = logOfOneRecordPerSegment()) {
            var locations = appendOnePerSegment(log);
            // each read of a segment without a handle closes another: before, one read's eviction closed the handle
            // another was reading from, and under a load run's audit DescribeExecution answered 500
            var failures = new java.util.concurrent.ConcurrentLinkedQueue<Throwable>();
            var threads = new ArrayList<Thread>();
            for (int t = 0; t < 8; t++) {
                var random = new java.util.Random(t);
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int n = 0; n < 4_000 && failures.isEmpty(); n++) {
                        int i = random.nextInt(records);
                        try {
                            byte first = log.read(locations[i]).get(1);
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
            assertThat(openFilesUnder(dir)).isLessThanOrEqualTo(LogSegments.MAX_READERS + 1);
        }
    }

    /** This process's open files under {@code directory}, from /proc (Linux). */
    private static long openFilesUnder(Path directory) throws Exception {
        String prefix = directory.toRealPath().toString();
        try (var fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(fd).toString();
                } catch (Exception e) {
                    return ""; // closed between the listing and the look
                }
            }).filter(target -> target.startsWith(prefix)).count();
        }
    }
}
