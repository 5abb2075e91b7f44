package com.orderflow.local.s3;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A local S3 as its own process, so a test can kill it for real: {@code S3ServerProcess <data dir>}. */
public final class S3ServerProcess {

    private S3ServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        var server = LocalS3Server.start(InetAddress.getLoopbackAddress(), 0, Optional.of(Path.of(args[0])),
                Duration.ofMillis(20));
        System.out.println("READY " + server.port() + " " + server.versionCount());
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(5)); // a test kills it long before
        server.close();
    }
}
