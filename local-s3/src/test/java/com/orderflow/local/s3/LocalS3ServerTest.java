package com.orderflow.local.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;

class LocalS3ServerTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dataDir;

    @Test
    void persistentMode_keepsBucketVersioningAndEveryVersion_acrossARestart() throws Exception {
        // given a bucket with two versions of one object
        try (var server = LocalS3Server.start(LOOPBACK, 0, Optional.of(dataDir), Duration.ofMillis(20)); var s3 = server.newClient()) {
            assertThat(OrdersBucket.ensure(s3, "orders")).isTrue();
            s3.putObject(b -> b.bucket("orders").key("orders/a.json"), RequestBody.fromString("{\"v\":1}"));
            s3.putObject(b -> b.bucket("orders").key("orders/a.json"), RequestBody.fromString("{\"v\":2}"));
        }

        // when it starts again on the same directory
        try (var server = LocalS3Server.start(LOOPBACK, 0, Optional.of(dataDir), Duration.ofMillis(20)); var s3 = server.newClient()) {
            // then nothing is created again and both versions are there
            assertThat(OrdersBucket.ensure(s3, "orders")).isFalse();
            assertThat(s3.getBucketVersioning(b -> b.bucket("orders")).status()).isEqualTo(BucketVersioningStatus.ENABLED);
            var versions = s3.listObjectVersions(b -> b.bucket("orders").prefix("orders/a.json")).versions();
            assertThat(versions).hasSize(2);
            assertThat(versions).filteredOn(ObjectVersion::isLatest).hasSize(1);
            assertThat(s3.getObjectAsBytes(b -> b.bucket("orders").key("orders/a.json")).asUtf8String()).isEqualTo("{\"v\":2}");
        }
    }

    @Test
    void memoryMode_startsEmptyEachTime() throws Exception {
        try (var server = LocalS3Server.inMemory(); var s3 = server.newClient()) {
            assertThat(server.dataDir()).isEmpty();
            assertThat(OrdersBucket.ensure(s3, "orders")).isTrue();
            assertThat(OrdersBucket.ensure(s3, "orders")).isFalse();
        }
        try (var server = LocalS3Server.inMemory(); var s3 = server.newClient()) {
            assertThat(OrdersBucket.ensure(s3, "orders")).isTrue();
        }
    }

    @Test
    void busyPort_failsWithBindException() throws Exception {
        try (var taken = new ServerSocket(0)) {
            assertThatThrownBy(() -> LocalS3Server.start(LOOPBACK, taken.getLocalPort(), Optional.empty(), Duration.ZERO))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
    }
}
