package com.orderflow.priming;

/**
 * What one priming did: sample invocations run and how many of them failed in the handler (deliberately invalid
 * samples do), SDK calls answered in-process by {@link PrimingTransport} and stopped before the wire by
 * {@link PrimingInterceptor}, and how long it took.
 */
public record PrimingReport(int invocations, int failed, long sdkCallsAnswered, long sdkCallsStopped, long nanos) {

    static final PrimingReport NONE = new PrimingReport(0, 0, 0, 0, 0);
}
