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
}
