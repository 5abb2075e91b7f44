package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill while LocalS3 rewrites the orders bucket's index leaves it empty or cut short (found by the crash-recovery
 * run, {@code mvn -Pcrash}); the next start must still come up with every order and every version of it.
 */
class UncleanStopRepairTest {

    @TempDir
    Path dataDir;

    @Test
    void bucketIndexEmptiedOrCutShortByAKill_isRebuilt_fromTheStoredOrderVersions() throws Exception {
        // given orders stored by a first run
        var statusById = new LinkedHashMap<String, String>();
        try (var first = RunningStack.persistent(dataDir)) {
            for (String file : new String[] {"order-completed.json", "order-payment-declined.json", "order-invalid.json"}) {
                String orderId = first.accept(RunningStack.payload(file), null);
                statusById.put(orderId, first.awaitFinal(orderId).path("status").asText());
            }
        }
        // and an index the kill cut short
        Path index = dataDir.resolve("s3").resolve(RunningStack.config(dataDir, false).bucket() + ".bucket.meta");
        String text = Files.readString(index);
        Files.writeString(index, text.substring(0, text.length() / 3));

        // when the stack starts again on the same directory
        try (var second = RunningStack.persistent(dataDir)) {
            // then it says what it did, and every order reads back with its versions in order
            assertThat(second.progress).anyMatch(line -> line.contains("index damaged by an unclean stop: "
                    + statusById.size() * 2 + " order versions stored again"));
            for (var order : statusById.entrySet()) {
                assertThat(second.getJson("/orders/" + order.getKey()).path("status").asText()).isEqualTo(order.getValue());
                assertThat(LocalStackEndToEndTest.statuses(second.getJson("/orders/" + order.getKey() + "/history").path("versions")))
                        .containsExactly("RECEIVED", order.getValue());
            }
            assertThat(second.getJson("/orders?limit=100").path("orders")).hasSize(statusById.size());
            String next = second.accept(RunningStack.payload("order-completed.json"), null);
            assertThat(second.awaitFinal(next).path("status").asText()).isEqualTo("COMPLETED");
        }
        // and the damaged index is kept aside for a post-mortem
        try (var files = Files.list(dataDir.resolve("s3"))) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(name -> name.contains(".bucket.meta.damaged-"));
        }
    }
}
