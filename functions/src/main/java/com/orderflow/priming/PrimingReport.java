package com.orderflow.priming;

/**
 * What one priming did: sample invocations that completed, that ended at an SDK call stopped before the wire,
 * and that failed in the handler (deliberately invalid samples do), and how long it took.
 */
public record PrimingReport(int completed, int stoppedAtWire, int failed, long nanos) {

    static final PrimingReport NONE = new PrimingReport(0, 0, 0, 0);

    /** Every sample invocation priming ran. */
    public int invocations() {
        return completed + stoppedAtWire + failed;
    }
}
