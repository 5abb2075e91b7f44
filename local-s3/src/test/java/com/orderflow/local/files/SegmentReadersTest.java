package com.orderflow.local.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentReadersTest {

    @TempDir
    Path dir;

    private Path segment(int n) {
        return dir.resolve(n + ".seg");
    }

    private SegmentReaders readers(int segments, int limit) throws Exception {
        for (int n = 1; n <= segments; n++) {
            Files.write(segment(n), new byte[] {(byte) n, 2, 3, 4});
        }
        return new SegmentReaders(limit, this::segment);
    }

    private static byte firstByte(SegmentReaders readers, int segment) throws Exception {
        var buffer = ByteBuffer.allocate(1);
        readers.readFully(segment, buffer, 0);
        return buffer.get(0);
    }

    @Test
    void keepsAtMostTheLimitOpen_theLeastRecentlyUsedClosing() throws Exception {
        var readers = readers(5, 2);
        for (int n = 1; n <= 5; n++) {
            assertThat(firstByte(readers, n)).isEqualTo((byte) n);
        }
        assertThat(readers.openCount()).isEqualTo(2);
        firstByte(readers, 4); // 4 now the most recently used: 5 goes when 1 comes
        firstByte(readers, 1);
        assertThat(firstByte(readers, 4)).isEqualTo((byte) 4);
        assertThat(readers.openCount()).isEqualTo(2);
    }

    @Test
    void aReadInterruptedClosesOnlyItsOwnAttempt_theNextReadOpensTheSegmentAgain() throws Exception {
        var readers = readers(1, 4);
        assertThat(firstByte(readers, 1)).isEqualTo((byte) 1);
        Thread.currentThread().interrupt(); // an interrupted read closes the shared channel (FileChannel is interruptible)
        try {
            assertThatThrownBy(() -> firstByte(readers, 1)).isInstanceOf(ClosedChannelException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(firstByte(readers, 1)).isEqualTo((byte) 1);
    }

    @Test
    void aReadPastTheEnd_failsClearly_andAfterCloseAllEveryReadFails() throws Exception {
        var readers = readers(1, 4);
        assertThatThrownBy(() -> readers.readFully(1, ByteBuffer.allocate(8), 0))
                .hasMessageContaining("segment 1 ends before byte 8");
        readers.closeAll();
        assertThat(readers.openCount()).isZero();
        assertThatThrownBy(() -> firstByte(readers, 1)).isInstanceOf(ClosedChannelException.class);
    }
}
