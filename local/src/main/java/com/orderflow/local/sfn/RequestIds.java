package com.orderflow.local.sfn;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids and default execution names in AWS's shape (a random version-4 UUID), from a fast random source:
 * {@link UUID#randomUUID()} reads the kernel's random device for every id, a system call per request, and nothing
 * here needs ids an attacker cannot guess.
 */
final class RequestIds {

    private RequestIds() {
    }

    static String next() {
        var random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(high, low).toString();
    }
}
