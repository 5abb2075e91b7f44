package com.orderflow.local.engine;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A task token, as a Task state hands it to a worker ({@code $$.Task.Token}, GetActivityTask): it names the
 * execution and the event the task attempt follows from, so the same attempt gets the same token again after a
 * restart (the history is the one truth; no token table needs to be stored) and a later attempt gets another.
 *
 * @param executionArn      the execution the task belongs to
 * @param startEpochMillis  the execution's start, which tells apart two executions that reused one name
 * @param followsEventId    the id of the event the attempt's scheduled event follows (unique per attempt)
 */
public record TaskToken(String executionArn, long startEpochMillis, long followsEventId) {

    private static final String VERSION = "sfnlocal1";

    /** The opaque text workers carry around. */
    public String encode() {
        String plain = VERSION + '\n' + executionArn + '\n' + startEpochMillis + '\n' + followsEventId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /** The token {@code text} encodes; empty when it is not one of ours (AWS answers InvalidToken). */
    public static Optional<TaskToken> decode(String text) {
        if (text == null || text.isEmpty() || text.length() > 2048) {
            return Optional.empty();
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\n", -1);
            if (parts.length != 4 || !parts[0].equals(VERSION) || !parts[1].startsWith("arn:")) {
                return Optional.empty();
            }
            return Optional.of(new TaskToken(parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3])));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not base64, or not numbers where numbers belong
        }
    }
}
