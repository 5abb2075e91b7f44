package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every port of the local stack listens on loopback only, as the operating system's socket table shows. */
class LoopbackOnlyTest {

    @TempDir
    Path dataDir;

    @Test
    void theDefaultStack_listensOnLoopbackOnly() throws Exception {
        try (var running = RunningStack.persistent(dataDir)) {
            var stack = running.stack;
            var listening = ListeningSockets.ofThisProcess();
            assertThat(listening).extracting(InetSocketAddress::getPort)
                    .contains(stack.apiEndpoint().getPort(), stack.sfnEndpoint().getPort(), stack.s3Endpoint().getPort());
            assertThat(listening).allSatisfy(socket -> assertThat(socket.getAddress().isLoopbackAddress())
                    .as("%s is a loopback address", socket).isTrue());
            assertThat(running.progress).noneMatch(line -> line.contains("WARNING"));
        }
    }
}
