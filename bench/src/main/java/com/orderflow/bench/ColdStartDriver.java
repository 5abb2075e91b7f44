package com.orderflow.bench;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.orderflow.aws.InvocationContext;
import com.orderflow.json.LambdaJsonSerializer;
import com.orderflow.priming.Priming;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One cold start, in a fresh JVM whose class path is the Lambda jar plus this class: constructs a handler as
 * Lambda would, optionally runs its SnapStart hooks as a checkpoint and restore would, then times the first
 * request, the first request that calls AWS (a loopback endpoint) and steady-state requests, and prints one
 * {@code RESULT} line. Started by {@link ColdStartBenchmark}; loads nothing beyond what the timings need.
 *
 * <p>Arguments: handler class, {@code primed|unprimed}, the launcher's {@link System#nanoTime()} just before the
 * launch (the same monotonic clock in every process on Linux), steady-state request count, the first event file
 * (or {@code -}), the AWS-calling event file (or {@code -}).
 */
public final class ColdStartDriver {

    private ColdStartDriver() {
    }

    public static void main(String[] args) throws Exception {
        long mainAt = System.nanoTime();
        long launchedAt = Long.parseLong(args[2]);
        boolean primed = args[1].equals("primed");
        int steady = Integer.parseInt(args[3]);

        long c0 = System.nanoTime();
        var handler = (RequestHandler<?, ?>) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        long c1 = System.nanoTime();

        long primingNanos = 0;
        long restoreNanos = 0;
        int primedInvocations = 0;
        if (primed) {
            var priming = Priming.of(handler).orElseThrow(() -> new IllegalStateException("no priming registered"));
            long p0 = System.nanoTime();
            priming.beforeCheckpoint(null);
            long p1 = System.nanoTime();
            priming.afterRestore(null);
            restoreNanos = System.nanoTime() - p1;
            primingNanos = p1 - p0;
            primedInvocations = priming.lastReport().invocations();
        }

        threadCpuNanos(); // loads what reading it needs before anything is timed, in both variants alike
        var invoker = new Invoker(handler);
        byte[] first = args[4].equals("-") ? null : Files.readAllBytes(Path.of(args[4]));
        byte[] calling = args[5].equals("-") ? null : Files.readAllBytes(Path.of(args[5]));

        long firstNanos = -1;
        long firstCpu = -1;
        String firstResult = "-";
        phase("first");
        if (first != null) {
            long cpu0 = threadCpuNanos();
            long t0 = System.nanoTime();
            var out = invoker.invoke(first);
            firstNanos = System.nanoTime() - t0;
            firstCpu = threadCpuNanos() - cpu0;
            firstResult = describe(out);
        }
        long callNanos = -1;
        long callCpu = -1;
        String callResult = "-";
        phase("call");
        if (calling != null) {
            long cpu0 = threadCpuNanos();
            long t0 = System.nanoTime();
            var out = invoker.invoke(calling);
            callNanos = System.nanoTime() - t0;
            callCpu = threadCpuNanos() - cpu0;
            callResult = describe(out);
        }

        phase("steady");
        var steadyEvent = first != null ? first : calling;
        var samples = new long[steady];
        for (int i = 0; i < steady; i++) {
            long t0 = System.nanoTime();
            invoker.invoke(steadyEvent);
            samples[i] = System.nanoTime() - t0;
        }
        Arrays.sort(samples);

        System.out.printf("RESULT launchToMain=%d construct=%d launchToConstructed=%d priming=%d restore=%d primedInvocations=%d"
                        + " first=%d firstCpu=%d firstResult=%s call=%d callCpu=%d callResult=%s steadyMedian=%d%n",
                mainAt - launchedAt, c1 - c0, c1 - launchedAt, primingNanos, restoreNanos, primedInvocations,
                firstNanos, firstCpu, firstResult, callNanos, callCpu, callResult, steady == 0 ? -1 : samples[steady / 2]);
    }

    /**
     * Time the calling thread has spent on a CPU (nanoseconds): unlike wall time, it does not grow while the thread
     * waits for a core on a busy machine.
     */
    private static long threadCpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** Marks a phase in {@code -Xlog:class+load} output when {@code -Dbench.phases=true} (for finding what a phase loads). */
    private static void phase(String name) {
        if (Boolean.getBoolean("bench.phases")) {
            System.out.println("PHASE " + name);
        }
    }

    private static String describe(Object out) {
        if (out instanceof APIGatewayProxyResponseEvent response) {
            return "HTTP" + response.getStatusCode();
        }
        return out == null ? "null" : out.getClass().getSimpleName();
    }

    /** What the Lambda runtime does per invocation: map the event in, call the handler, map the result out. */
    private static final class Invoker {

        private final LambdaJsonSerializer serializer = new LambdaJsonSerializer();
        private final RequestHandler<Object, Object> handler;
        private final Type in;
        private final Type out;

        @SuppressWarnings("unchecked")
        Invoker(RequestHandler<?, ?> handler) {
            this.handler = (RequestHandler<Object, Object>) handler;
            var types = types(handler.getClass());
            this.in = types[0];
            this.out = types[1];
        }

        Object invoke(byte[] event) {
            Object input = serializer.fromJson(new ByteArrayInputStream(event), in);
            Object output = handler.handleRequest(input, InvocationContext.of("bench", "bench", System.err::print));
            serializer.toJson(output, new ByteArrayOutputStream(256), out);
            return output;
        }

        private static Type[] types(Class<?> type) {
            for (var implemented : type.getGenericInterfaces()) {
                if (implemented instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return p.getActualTypeArguments();
                }
            }
            throw new IllegalArgumentException(type + " is not a RequestHandler");
        }
    }
}
