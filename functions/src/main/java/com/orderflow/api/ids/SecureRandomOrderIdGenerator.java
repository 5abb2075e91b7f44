package com.orderflow.api.ids;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * Order ids made of a descending time prefix and 80 random bits. The prefix is 10 base32 characters of
 * (2^50 - 1 - epoch milliseconds), so S3 lists newer orders first; the randomness comes from a
 * {@link SecureRandom} created on first use, never during class loading or construction, so that a SnapStart
 * snapshot never captures its seed state.
 */
public final class SecureRandomOrderIdGenerator implements OrderIdGenerator {

    static final String PREFIX = "ord_";
    static final int ID_CHARS = 26;
    private static final long TIME_SPACE = (1L << 50) - 1;
    private static final int TIME_CHARS = 10;
    private static final int RANDOM_BYTES = 10;

    private final Clock clock;
    private volatile SecureRandom random;

    public SecureRandomOrderIdGenerator(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String newOrderId() {
        var bytes = new byte[16];
        long descending = TIME_SPACE - Math.max(0, clock.millis());
        // 50 time bits fill the first 10 characters when left-aligned in 64 bits; the 80 random bits follow
        ByteBuffer.wrap(bytes).putLong(descending << 14);
        var randomBits = new byte[RANDOM_BYTES];
        random().nextBytes(randomBits);
        return PREFIX + CrockfordBase32.encode(bytes, TIME_CHARS) + CrockfordBase32.encode(randomBits, ID_CHARS - TIME_CHARS);
    }

    private SecureRandom random() {
        var current = random;
        if (current == null) {
            synchronized (this) {
                current = random;
                if (current == null) {
                    current = new SecureRandom();
                    random = current;
                }
            }
        }
        return current;
    }

    /** Drops the random source so the next id re-creates (and re-seeds) it, as after a snapshot restore. */
    public void reset() {
        random = null;
    }
}
