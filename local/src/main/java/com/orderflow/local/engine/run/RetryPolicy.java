package com.orderflow.local.engine.run;

import com.orderflow.local.engine.definition.State;
import com.orderflow.local.engine.expr.StateFailure;

import java.util.List;
import java.util.SplittableRandom;

/** Which Retry or Catch rule an error meets, and how long a retrier waits before its next attempt. */
final class RetryPolicy {

    private RetryPolicy() {
    }

    /**
     * The wait before attempt {@code attempts + 1} of a retrier, in seconds: interval × backoff^attempts, capped by
     * MaxDelaySeconds, and under FULL jitter a draw fixed by {@code seed} (so a restart keeps the deadline).
     */
    static double delaySeconds(State.Retrier retrier, int attempts, long seed) {
        double delay = retrier.intervalSeconds() * Math.pow(retrier.backoffRate(), attempts);
        if (retrier.maxDelaySeconds() != null) {
            delay = Math.min(delay, retrier.maxDelaySeconds());
        }
        if (retrier.fullJitter()) {
            delay = new SplittableRandom(seed).nextDouble() * delay;
        }
        return delay;
    }

    /** Index of the first rule whose ErrorEquals matches {@code error}, or -1. */
    static int matching(List<List<String>> rules, String error) {
        for (int i = 0; i < rules.size(); i++) {
            for (String name : rules.get(i)) {
                if (name.equals(error)
                        || name.equals(StateFailure.ALL)
                        || (name.equals(StateFailure.TASK_FAILED) && !StateFailure.TIMEOUT.equals(error))) {
                    return i;
                }
            }
        }
        return -1;
    }
}
