package com.orderflow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Order bodies from {@code test-payloads/}, each repeated by its weight, with the final status it leads to. */
final class PayloadMix {

    /** The final status each payload leads to when nothing interrupts it (the README's payload table). */
    static final Map<String, String> EXPECTED = Map.of(
            "order-completed.json", "COMPLETED",
            "order-payment-flaky.json", "COMPLETED",
            "order-payment-declined.json", "REJECTED",
            "order-out-of-stock.json", "REJECTED",
            "order-invalid.json", "REJECTED",
            "order-payment-gateway-error.json", "FAILED");

    /** The load test's mix: 70 % completing, 10 % each declined, out of stock, invalid. */
    static final Map<String, Integer> LOAD = Map.of(
            "order-completed.json", 7,
            "order-payment-declined.json", 1,
            "order-out-of-stock.json", 1,
            "order-invalid.json", 1);

    /** One test payload: its file name, its body and the final status it leads to. */
    record Payload(String file, String body, String expected) {
    }

    private final List<Payload> slots = new ArrayList<>();

    PayloadMix(Path root, Map<String, Integer> weights) {
        for (var e : new TreeMap<>(weights).entrySet()) {
            var expected = EXPECTED.get(e.getKey());
            if (expected == null) {
                throw new IllegalArgumentException("no documented final status for " + e.getKey());
            }
            try {
                var payload = new Payload(e.getKey(), Files.readString(root.resolve("test-payloads").resolve(e.getKey())), expected);
                for (int i = 0; i < e.getValue(); i++) {
                    slots.add(payload);
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }

    /** The {@code n}-th payload of the repeating mix. */
    Payload pick(long n) {
        return slots.get((int) Math.floorMod(n, (long) slots.size()));
    }
}
