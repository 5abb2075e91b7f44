package com.orderflow.api.ids;

import com.orderflow.order.OrderId;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;

import static org.assertj.core.api.Assertions.assertThat;

class OrderIdsTest {

    @Test
    void generatedIds_matchThePattern_andDoNotRepeat() {
        var generator = new SecureRandomOrderIdGenerator(Clock.systemUTC());
        var seen = new HashSet<String>();
        for (int i = 0; i < 10_000; i++) {
            var id = generator.newOrderId();
            assertThat(OrderId.isValid(id)).as(id).isTrue();
            assertThat(seen.add(id)).as("repeat " + id).isTrue();
        }
    }

    @Test
    void laterIds_sortBeforeEarlierOnes() {
        var earlier = new SecureRandomOrderIdGenerator(Clock.fixed(Instant.parse("2026-04-09T12:00:00Z"), ZoneOffset.UTC));
        var later = new SecureRandomOrderIdGenerator(Clock.fixed(Instant.parse("2026-04-09T12:00:00.001Z"), ZoneOffset.UTC));

        for (int i = 0; i < 100; i++) {
            assertThat(later.newOrderId()).isLessThan(earlier.newOrderId());
        }
    }

    @Test
    void sameInstant_stillGivesDistinctIds_evenAfterReset() {
        var generator = new SecureRandomOrderIdGenerator(Clock.fixed(Instant.parse("2026-04-09T12:00:00Z"), ZoneOffset.UTC));
        var first = generator.newOrderId();
        generator.reset();

        assertThat(generator.newOrderId()).isNotEqualTo(first).startsWith(first.substring(0, 14));
    }

    @Test
    void idempotencyKey_namesOneOrder_andDifferentKeysDifferentOrders() {
        var key = new IdempotencyKey("8e03978e-40d5-43e8-bc93-6894a57f9324");

        assertThat(key.orderId()).isEqualTo(new IdempotencyKey("8e03978e-40d5-43e8-bc93-6894a57f9324").orderId());
        assertThat(OrderId.isValid(key.orderId())).isTrue();
        assertThat(key.orderId()).isNotEqualTo(new IdempotencyKey("8e03978e-40d5-43e8-bc93-6894a57f9325").orderId());
    }

    @Test
    void idempotencyKey_headerValues() {
        assertThat(IdempotencyKey.parseOrNull("\"abc-123\"")).isEqualTo(new IdempotencyKey("abc-123"));
        assertThat(IdempotencyKey.parseOrNull(" abc:1.2_3 ")).isEqualTo(new IdempotencyKey("abc:1.2_3"));
        assertThat(IdempotencyKey.parseOrNull("")).isNull();
        assertThat(IdempotencyKey.parseOrNull("\"\"")).isNull();
        assertThat(IdempotencyKey.parseOrNull("has space")).isNull();
        assertThat(IdempotencyKey.parseOrNull("k".repeat(129))).isNull();
        assertThat(IdempotencyKey.parseOrNull("caf\u00e9")).isNull();
    }

    @Test
    void base32_readsBitsBigEndian() {
        assertThat(CrockfordBase32.encode(new byte[]{0, 0, 0, 0, 0}, 8)).isEqualTo("00000000");
        assertThat(CrockfordBase32.encode(new byte[]{(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, 8))
                .isEqualTo("zzzzzzzz");
        // 0x08 = 00001|000 -> '1' then '0'
        assertThat(CrockfordBase32.encode(new byte[]{0x08, 0}, 2)).isEqualTo("10");
    }
}
