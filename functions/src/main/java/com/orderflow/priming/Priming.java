package com.orderflow.priming;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.orderflow.api.ids.OrderIdGenerator;
import com.orderflow.api.ids.SecureRandomOrderIdGenerator;
import com.orderflow.json.LambdaJsonSerializer;
import org.crac.Core;
import org.crac.Resource;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler's SnapStart hooks. Before the snapshot it runs the handler's real request path on sample events
 * (the runtime's JSON mapping, the handler's code, the SDK's round trips answered in-process by
 * {@link PrimingTransport}, nothing sent: see {@link PrimingInterceptor}), so that the classes are loaded and the
 * code warm in the snapshot; after a restore it renews what must be unique per execution environment (the
 * order-id generator's random source).
 *
 * <p>A handler registers itself with one line in its constructor. The CRaC context holds resources weakly, so
 * the priming is kept here, keyed weakly by its handler: it lives exactly as long as the handler does.
 */
public final class Priming implements Resource {

    /** How often each sample runs: the first run loads classes, the following ones warm the interpreter's profile. */
    static final int ROUNDS = 3;

    private static final String INTERCEPTORS_FILE = "software/amazon/awssdk/global/handlers/execution.interceptors";
    private static final Map<Object, Priming> REGISTERED = Collections.synchronizedMap(new WeakHashMap<>());

    private final WeakReference<RequestHandler<?, ?>> handler;
    private final Type inputType;
    private final Type outputType;
    private final List<String> samples;
    private final Runnable undo;
    private final Runnable renew;
    private volatile PrimingReport lastReport = PrimingReport.NONE;
    private final AtomicInteger restores = new AtomicInteger();

    private Priming(RequestHandler<?, ?> handler, List<String> samples, Runnable undo, Runnable renew) {
        var types = requestHandlerTypes(handler.getClass());
        this.handler = new WeakReference<>(handler);
        this.inputType = types[0];
        this.outputType = types[1];
        this.samples = List.copyOf(samples);
        this.undo = undo;
        this.renew = renew;
    }

    /** Registers priming of {@code handler} on {@code samples} (JSON events as Lambda would deliver them). */
    public static Priming register(RequestHandler<?, ?> handler, List<String> samples) {
        return register(handler, samples, () -> { });
    }

    /** As {@link #register(RequestHandler, List)}, running {@code afterRestore} after every restore. */
    public static Priming register(RequestHandler<?, ?> handler, List<String> samples, Runnable afterRestore) {
        return register(handler, samples, () -> { }, afterRestore);
    }

    /**
     * As {@link #register(RequestHandler, List, Runnable)}, running {@code undo} once the samples ran, before the
     * snapshot: for samples whose path leaves in-memory state behind (the simulated warehouse's reservation of the
     * priming order), so that the snapshot holds none of it.
     */
    public static Priming register(RequestHandler<?, ?> handler, List<String> samples, Runnable undo, Runnable afterRestore) {
        var priming = new Priming(handler, samples, undo, afterRestore);
        REGISTERED.put(handler, priming);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    /** The priming registered for {@code handler}, if any: for tests and benchmarks, which have no CRaC to call it. */
    public static Optional<Priming> of(Object handler) {
        return Optional.ofNullable(REGISTERED.get(handler));
    }

    /** What to renew after a restore for an id generator: a new random source, seeded after the restore. */
    public static Runnable reseeding(OrderIdGenerator ids) {
        return ids instanceof SecureRandomOrderIdGenerator generator ? generator::reset : () -> { };
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        var target = handler.get();
        if (target == null) {
            return;
        }
        if (!interceptorInstalled()) {
            // without the interceptor a primed call would really be sent: prime nothing rather than write
            lastReport = PrimingReport.NONE;
            return;
        }
        long started = System.nanoTime();
        long answeredBefore = PrimingTransport.answeredCalls();
        long stoppedBefore = PrimingInterceptor.stoppedCalls();
        int invocations = 0;
        int failed = 0;
        var serializer = new LambdaJsonSerializer();
        PrimingInterceptor.activate();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                for (var sample : samples) {
                    invocations++;
                    if (!invoke(target, serializer, sample)) {
                        failed++;
                    }
                }
            }
            undo.run();
        } finally {
            PrimingInterceptor.deactivate();
        }
        lastReport = new PrimingReport(invocations, failed, PrimingTransport.answeredCalls() - answeredBefore,
                PrimingInterceptor.stoppedCalls() - stoppedBefore, System.nanoTime() - started);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        renew.run();
        restores.incrementAndGet();
    }

    /** What the last {@link #beforeCheckpoint} did. */
    public PrimingReport lastReport() {
        return lastReport;
    }

    /** How many restores this priming has seen. */
    public int restores() {
        return restores.get();
    }

    /** Runs one sample as the runtime would; false when the handler failed (deliberately invalid samples do). */
    @SuppressWarnings("unchecked")
    private boolean invoke(RequestHandler<?, ?> target, LambdaJsonSerializer serializer, String sample) {
        try {
            // the runtime reads the event from a stream and writes the result to one; so does priming
            Object input = serializer.fromJson(new ByteArrayInputStream(sample.getBytes(StandardCharsets.UTF_8)), inputType);
            Object output = ((RequestHandler<Object, Object>) target).handleRequest(input, PrimingContext.INSTANCE);
            serializer.toJson(output, OutputStream.nullOutputStream(), outputType);
            return true;
        } catch (RuntimeException e) {
            // a handler failure is a primed path too: Lambda reports it as the invocation's error
            return false;
        }
    }

    private static boolean interceptorInstalled() {
        try {
            var urls = Priming.class.getClassLoader().getResources(INTERCEPTORS_FILE);
            while (urls.hasMoreElements()) {
                try (var in = urls.nextElement().openStream()) {
                    if (new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(PrimingInterceptor.class.getName())) {
                        return true;
                    }
                }
            }
            return false;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static Type[] requestHandlerTypes(Class<?> type) {
        for (var c = type; c != null; c = c.getSuperclass()) {
            for (var implemented : c.getGenericInterfaces()) {
                if (implemented instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return p.getActualTypeArguments();
                }
            }
        }
        throw new IllegalArgumentException(type.getName() + " does not implement RequestHandler<In, Out> directly");
    }
}
