package com.orderflow.local.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * The store's disk fails for real under a running engine (a full file system when this test may mount one, else a
 * directory without write permission): StartExecution is refused at once with 503, reads go on, writes come back
 * when the disk does, and after a kill -9 every execution that was acknowledged is there and finishes.
 */
class StoreFaultTest {

    private static final String DEFINITION = """
            {"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"pad":"%s"},"Next":"Nap"},
             "Nap":{"Type":"Wait","Seconds":1,"Next":"B"},"B":{"Type":"Pass","End":true}}}"""
            .formatted("x".repeat(2_000));

    private Path base;
    private Path store;
    private boolean mounted;
    private Process child;
    private Path childLog;

    @AfterEach
    void cleanUp() throws Exception {
        if (child != null) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (mounted) {
            new ProcessBuilder("umount", store.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
        if (base != null) {
            try (var files = Files.walk(base)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void diskFailsUnderLoad_refusesNewExecutions_keepsReads_andLosesNothingAcknowledged() throws Exception {
        base = Files.createTempDirectory("orderflow-store-fault");
        store = base.resolve("store");
        Files.createDirectories(store);
        mounted = isRoot() && run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", store.toString()) == 0;
        // root writes through any permission bits, so as root only a full file system makes the disk fail
        assertThat(mounted || !isRoot()).as("running as root, this test needs to mount a small tmpfs").isTrue();
        int port = startChild();
        var acknowledged = new ArrayList<String>();
        var refused = new ArrayList<String>();
        String smArn;
        try (var sfn = client(port)) {
            smArn = sfn.createStateMachine(b -> b.name("fault").definition(DEFINITION)
                    .roleArn("arn:aws:iam::000000000000:role/r")).stateMachineArn();
            startSome(sfn, smArn, "before-", 20, acknowledged, refused);
            assertThat(refused).isEmpty();

            // when the disk fails
            Path filler = breakTheDisk();
            String earlier = acknowledged.getFirst();
            // (the log's active segment is kept a little ahead in zeros, so its first records still fit)
            for (int i = 0; refused.isEmpty() && i < 2_000; i++) {
                startSome(sfn, smArn, "during-" + i + "-", 1, acknowledged, refused);
            }
            startSome(sfn, smArn, "after-refusal-", 10, acknowledged, refused);

            // then new executions are refused (503), with no 200 for anything that could not be stored
            assertThat(refused).isNotEmpty();
            // and a stop that could not be stored is refused too, rather than hanging
            String last = acknowledged.getLast();
            if (sfn.describeExecution(b -> b.executionArn(last)).statusAsString().equals("RUNNING")) {
                try {
                    sfn.stopExecution(b -> b.executionArn(last));
                    throw new AssertionError("StopExecution answered while the store could not write");
                } catch (SfnException e) {
                    assertThat(e.statusCode()).isEqualTo(503);
                }
            }
            // and reads go on
            assertThat(sfn.describeExecution(b -> b.executionArn(earlier)).executionArn()).isEqualTo(earlier);
            assertThat(sfn.listExecutions(b -> b.stateMachineArn(smArn)).executions()).isNotEmpty();

            // and when the disk is back, so are writes
            repairTheDisk(filler);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int before = acknowledged.size();
            while (acknowledged.size() == before && System.nanoTime() < deadline) {
                startSome(sfn, smArn, "after-" + System.nanoTime() + "-", 1, acknowledged, new ArrayList<>());
                Thread.sleep(200);
            }
            assertThat(acknowledged.size()).as("executions started once the disk is back").isGreaterThan(before);
        }
        String log = Files.readString(childLog);
        assertThat(log).contains("execution store: cannot write").contains("execution store: writing again");
        assertThat(log.split("execution store: cannot write", -1)).as("one line per outage").hasSize(2);

        // and after a kill -9 every acknowledged execution is there and finishes; no refused one appears
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        port = startChild();
        try (var sfn = client(port)) {
            for (String arn : acknowledged) {
                assertThat(awaitEnd(sfn, arn)).as(arn).isEqualTo("SUCCEEDED");
            }
            for (String arn : refused) {
                try {
                    var status = sfn.describeExecution(b -> b.executionArn(arn)).statusAsString();
                    // a start refused after 10 s of waiting may still have reached the disk later: it then runs
                    assertThat(status).isIn("RUNNING", "SUCCEEDED");
                } catch (ExecutionDoesNotExistException e) {
                    // refused and never stored: as promised
                }
            }
        }
    }

    private void startSome(SfnClient sfn, String smArn, String prefix, int n, List<String> acknowledged,
                           List<String> refused) {
        for (int i = 0; i < n; i++) {
            String name = prefix + i;
            String arn = smArn.replace(":stateMachine:", ":execution:") + ":" + name;
            try {
                acknowledged.add(sfn.startExecution(b -> b.stateMachineArn(smArn).name(name).input("{}")).executionArn());
            } catch (SfnException e) {
                assertThat(e.statusCode()).as(e.getMessage()).isEqualTo(503);
                refused.add(arn);
            }
        }
    }

    /** A full file system when mounted; else a directory the engine may not write to. */
    private Path breakTheDisk() throws IOException {
        Path filler = store.resolve("filler");
        if (mounted) {
            try (OutputStream out = Files.newOutputStream(filler)) {
                byte[] chunk = new byte[64 * 1024];
                while (true) {
                    out.write(chunk);
                }
            } catch (IOException full) {
                // no space left: as intended
            }
        } else {
            Files.setPosixFilePermissions(store.resolve("executions"), PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        return filler;
    }

    private void repairTheDisk(Path filler) throws IOException {
        if (mounted) {
            Files.delete(filler);
        } else {
            Files.setPosixFilePermissions(store.resolve("executions"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static String awaitEnd(SfnClient sfn, String arn) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String status = "?";
        while (System.nanoTime() < deadline) {
            status = sfn.describeExecution(b -> b.executionArn(arn)).statusAsString();
            if (!status.equals("RUNNING")) {
                return status;
            }
            Thread.sleep(100);
        }
        return status;
    }

    private int startChild() throws Exception {
        // small segments, so that the unwritable-directory case needs a new file soon
        var engine = ChildEngine.start(store, base, String.valueOf(mounted ? 64L << 20 : 32 * 1024));
        child = engine.process();
        childLog = engine.log();
        return engine.port();
    }

    private static SfnClient client(int port) {
        return new ChildEngine(null, port, null).client(false);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int run(String... command) throws Exception {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

}
