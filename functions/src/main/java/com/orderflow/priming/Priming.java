package com.orderflow.priming;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.orderflow.aws.InvocationContext;
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
 * A handler's SnapStart hooks. Before the snapshot it runs the handler's real request path on the events the
 * handler offers ({@link PrimedHandler}: the runtime's JSON mapping, the handler's code, the SDK's round trips
 * answered in-process by {@link PrimingTransport} with the handler's answers, nothing sent: see
 * {@link PrimingInterceptor}), so that the classes are loaded and the code warm in the snapshot; after a restore it
 * lets the handler renew what must be unique per execution environment. It names no handler and no event.
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
    private volatile PrimingReport lastReport = PrimingReport.NONE;
    private final AtomicInteger restores = new AtomicInteger();

    private <H extends RequestHandler<?, ?> & PrimedHandler> Priming(H handler) {
        var types = requestHandlerTypes(handler.getClass());
        this.handler = new WeakReference<>(handler);
        this.inputType = types[0];
        this.outputType = types[1];
    }

    /** Registers priming of {@code handler} on what it offers. */
    public static <H extends RequestHandler<?, ?> & PrimedHandler> Priming register(H handler) {
        var priming = new Priming(handler);
        REGISTERED.put(handler, priming);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    /** The priming registered for {@code handler}, if any: for tests and benchmarks, which have no CRaC to call it. */
    public static Optional<Priming> of(Object handler) {
        return Optional.ofNullable(REGISTERED.get(handler));
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        var target = handler.get();
        if (target == null) {
            return;
        }
        var offered = (PrimedHandler) target;
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
        var events = List.copyOf(offered.primingEvents());
        var previousAnswers = PrimingTransport.answerWith(offered.primingAnswers());
        PrimingInterceptor.activate();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                for (var event : events) {
                    invocations++;
                    if (!invoke(target, serializer, event)) {
                        failed++;
                    }
                }
            }
            offered.afterPriming();
        } finally {
            PrimingInterceptor.deactivate();
            PrimingTransport.answerWith(previousAnswers);
        }
        lastReport = new PrimingReport(invocations, failed, PrimingTransport.answeredCalls() - answeredBefore,
                PrimingInterceptor.stoppedCalls() - stoppedBefore, System.nanoTime() - started);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        if (handler.get() instanceof PrimedHandler offered) {
            offered.afterRestore();
        }
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

    /** Runs one event as the runtime would; false when the handler failed (deliberately invalid events do). */
    @SuppressWarnings("unchecked")
    private boolean invoke(RequestHandler<?, ?> target, LambdaJsonSerializer serializer, String event) {
        try {
            // the runtime reads the event from a stream and writes the result to one; so does priming
            Object input = serializer.fromJson(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), inputType);
            // log lines dropped: a primed SDK call fails by design, and its error line would mislead the function's reader
            var context = InvocationContext.of("priming", "priming", line -> { });
            Object output = ((RequestHandler<Object, Object>) target).handleRequest(input, context);
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
