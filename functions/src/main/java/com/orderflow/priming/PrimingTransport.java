package com.orderflow.priming;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The transport of the Lambda's own SDK clients: outside priming it hands every request to the real HTTP client;
 * while priming it answers in-process with the {@link CannedAnswers} of the handler being primed, so the SDK's response
 * path and the handler code after the call are primed too, and nothing reaches the network.
 *
 * <p>A client gets it with {@link #wrap} and {@link #MARKER} together (see {@code AwsEnvironment}): the marker tells
 * {@link PrimingInterceptor}, which stops the primed calls of every other client, to let this client's calls
 * through to this transport.
 */
public final class PrimingTransport implements SdkHttpClient {

    /** Marks each call of a client whose transport is a {@link PrimingTransport}; add it with {@link #wrap}. */
    public static final ExecutionInterceptor MARKER = new ExecutionInterceptor() {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            attributes.putAttribute(ANSWERED_IN_PROCESS, Boolean.TRUE);
        }
    };

    static final ExecutionAttribute<Boolean> ANSWERED_IN_PROCESS = new ExecutionAttribute<>("orderflow.priming.answeredInProcess");

    private static final AtomicLong ANSWERED = new AtomicLong();
    /** The answers of the handler being primed; set by {@link Priming} around its events. */
    private static volatile CannedAnswers answers = CannedAnswers.NONE;

    private final SdkHttpClient delegate;

    private PrimingTransport(SdkHttpClient delegate) {
        this.delegate = delegate;
    }

    /** {@code transport} as a Lambda client's transport; the client must also carry {@link #MARKER}. */
    public static SdkHttpClient wrap(SdkHttpClient transport) {
        return new PrimingTransport(transport);
    }

    /** SDK calls answered in-process so far in this JVM. */
    public static long answeredCalls() {
        return ANSWERED.get();
    }

    /** Answers primed calls with {@code next} until the returned previous answers are put back. */
    static CannedAnswers answerWith(CannedAnswers next) {
        var previous = answers;
        answers = next;
        return previous;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        if (!PrimingInterceptor.active()) {
            return delegate.prepareRequest(request);
        }
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() throws IOException {
                // consume the body as the real client would, through the same stream (checksums, chunking)
                if (request.contentStreamProvider().isPresent()) {
                    try (InputStream body = request.contentStreamProvider().get().newStream()) {
                        body.transferTo(OutputStream.nullOutputStream());
                    }
                }
                ANSWERED.incrementAndGet();
                return answers.answer(request.httpRequest());
            }

            @Override
            public void abort() {
                // nothing in flight
            }
        };
    }

    @Override
    public String clientName() {
        return delegate.clientName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
