package com.orderflow.priming;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The guard that keeps priming off the network: while a handler is being primed, every AWS SDK call is marshalled,
 * its endpoint resolved and the request signed, and then, unless its client's transport answers in-process (a
 * {@link PrimingTransport}, which marks its calls), the call fails with a {@link PrimedCallStopped} instead of being
 * transmitted. So priming never writes anything (no PutObject, no StartExecution) and never opens a connection
 * that a snapshot would carry, whatever client a handler was given.
 *
 * <p>The SDK adds it to every client it builds, through the classpath file
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}, so a client built anywhere (by the
 * handler, by a test, by the local stack) is covered; outside priming it does nothing.
 */
public final class PrimingInterceptor implements ExecutionInterceptor {

    // a count, not a flag: primings may nest (a resource priming while another finishes)
    private static final AtomicInteger ACTIVE = new AtomicInteger();
    private static final AtomicLong STOPPED = new AtomicLong();

    /** Built by the SDK, once per client. */
    public PrimingInterceptor() {
        // stateless: the priming state is JVM-wide
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes executionAttributes) {
        if (ACTIVE.get() > 0 && executionAttributes.getAttribute(PrimingTransport.ANSWERED_IN_PROCESS) == null) {
            STOPPED.incrementAndGet();
            var request = context.httpRequest();
            throw new PrimedCallStopped(request.method() + " " + request.encodedPath());
        }
    }

    /** True while some priming runs: every SDK call in this JVM is then stopped before transmission. */
    public static boolean active() {
        return ACTIVE.get() > 0;
    }

    /** SDK calls stopped so far in this JVM. */
    public static long stoppedCalls() {
        return STOPPED.get();
    }

    static void activate() {
        ACTIVE.incrementAndGet();
    }

    static void deactivate() {
        ACTIVE.decrementAndGet();
    }

    /** Why a primed SDK call ended before it reached the network; priming expects it and counts it. */
    public static final class PrimedCallStopped extends RuntimeException {

        PrimedCallStopped(String request) {
            super("priming: stopped before transmission: " + request, null, false, false);
        }

        /** True when {@code e} or one of its causes is a stopped primed call (the SDK wraps it). */
        public static boolean in(Throwable e) {
            for (var t = e; t != null; t = t.getCause()) {
                if (t instanceof PrimedCallStopped) {
                    return true;
                }
            }
            return false;
        }
    }
}
