package com.orderflow.local.crash;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * What every test that kills the engine for real shares: an engine in a child JVM on a store in a temporary
 * directory, an SDK client for its endpoint, and the child killed if a test leaves it running.
 */
abstract class EngineKillTest {

    @TempDir
    Path dir;

    /** The engine's JVM while it runs; a test kills it with {@code destroyForcibly()} (SIGKILL). */
    Process child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    /** Starts (or starts again) the engine on this test's store; returns its port. */
    int startChild() throws Exception {
        var engine = ChildEngine.start(dir.resolve("store"), dir);
        child = engine.process();
        return engine.port();
    }

    static SfnClient client(int port) {
        return new ChildEngine(null, port, null).client(true);
    }
}
