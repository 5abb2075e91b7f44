package com.orderflow.local.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GatheringOutputTest {

    /** Counts the writes that reach it, as the system calls they stand for. */
    private static final class CountingTarget extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final AtomicInteger writes = new AtomicInteger();

        @Override
        public synchronized void write(int b) {
            writes.incrementAndGet();
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes.incrementAndGet();
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void manyLines_arriveWhole_inOrder_inFarFewerWrites() throws Exception {
        var target = new CountingTarget();
        var output = GatheringOutput.over(target);
        var out = output.printStream(StandardCharsets.UTF_8);
        for (int i = 0; i < 10_000; i++) {
            out.println("execution " + i + " SUCCEEDED in 0 ms");
        }
        output.drain(Duration.ofSeconds(5));

        var expected = IntStream.range(0, 10_000).mapToObj(i -> "execution " + i + " SUCCEEDED in 0 ms\n")
                .collect(Collectors.joining());
        assertThat(target.text()).isEqualTo(expected);
        assertThat(target.writes.get()).isLessThan(1_000);
        output.close();
    }

    @Test
    void aLoneLine_leavesWithoutAFlush_andCloseKeepsLaterLines() throws Exception {
        var target = new CountingTarget();
        var output = GatheringOutput.over(target);
        var out = output.printStream(StandardCharsets.UTF_8);
        out.print("ready");

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (target.text().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(target.text()).isEqualTo("ready");

        output.close();
        out.print(" Stopped.");
        assertThat(target.text()).isEqualTo("ready Stopped.");
    }
}
