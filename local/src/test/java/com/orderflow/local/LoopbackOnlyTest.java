package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    @Test
    void bind_movesEveryPortToTheGivenAddress() throws Exception {
        // 127.0.0.2 is loopback too (all of 127/8 is, on Linux): the setting is proven without leaving this machine
        var config = LocalStackConfig.resolve(List.of("--root=" + RunningStack.ROOT, "--bind=127.0.0.2", "--in-memory"),
                Map.of(), Map.of(), RunningStack.ROOT).withPorts(0, 0, 0).withStorage(dataDir, true);
        var progress = new ArrayList<String>();
        try (var stack = LocalStack.start(config, progress::add, new PrintStream(OutputStream.nullOutputStream()))) {
            var ports = Set.of(stack.apiEndpoint().getPort(), stack.sfnEndpoint().getPort(), stack.s3Endpoint().getPort());
            var ours = ListeningSockets.ofThisProcess().stream().filter(socket -> ports.contains(socket.getPort())).toList();
            assertThat(ours).hasSize(3).allSatisfy(socket ->
                    assertThat(socket.getAddress().getHostAddress()).isEqualTo("127.0.0.2"));
            assertThat(progress).noneMatch(line -> line.contains("WARNING"));
        }
    }
}
