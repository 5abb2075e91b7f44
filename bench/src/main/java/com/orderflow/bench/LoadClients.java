package com.orderflow.bench;

import com.orderflow.json.Json;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * The sustained load's clients, one virtual thread and one keep-alive connection each, POSTing the payload mix in
 * one of two ways. Closed loop: a client POSTs as soon as it has its answer (what the stack can finish, but the
 * clients slow down with it, so its latencies omit the waits a slow answer causes). Open model (as wrk2 and Gatling
 * run it, against coordinated omission): the clients share a fixed rate, each POST has a scheduled send time, and its
 * latency counts from that time, so a client held up by a slow answer is charged for the POSTs it is late with.
 */
final class LoadClients {

    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

    private final URI api;
    private final PayloadMix mix;
    private final FinalSampler sampler;
    private final int sampleEvery;
    private final Queue<OrderAudit.Accepted> orders;
    private final AtomicLong sequence = new AtomicLong();

    /** Clients of {@code api}; every accepted order goes to {@code orders}, one in {@code sampleEvery} to the sampler. */
    LoadClients(URI api, PayloadMix mix, FinalSampler sampler, int sampleEvery, Queue<OrderAudit.Accepted> orders) {
        this.api = api;
        this.mix = mix;
        this.sampler = sampler;
        this.sampleEvery = sampleEvery;
        this.orders = orders;
    }

    /**
     * Starts {@code clients} closed-loop clients on {@code pool} until {@code until} (System.nanoTime); an answer
     * counts in the window of its arrival. A client told 429, or 503 with Retry-After, waits as long as told.
     */
    void startClosedLoop(ExecutorService pool, int clients, long until, LongFunction<LoadWindow> windowAt) {
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                try (var http = new HttpConnection(api)) {
                    while (System.nanoTime() < until) {
                        var answer = post(http, System.nanoTime(), windowAt);
                        if (answer.connectionFailed()) {
                            Thread.sleep(100); // a closed loop would otherwise spin on a refused connection
                        }
                        Thread.sleep(answer.retryAfterMillis());
                    }
                }
                return null;
            });
        }
    }

    /**
     * Starts {@code clients} clients on {@code pool} that together offer {@code rate} POSTs a second, scheduled from
     * {@code first} up to {@code until} (System.nanoTime), the rate ramping up from a tenth over {@code ramp} (the
     * warm-up, so a cold JVM is not met with the full rate): client c sends the POSTs numbered c, c + clients, … of the
     * schedule. A POST counts in the window of its scheduled time. A refused POST (429, or 503 with Retry-After) is
     * counted, not retried, and its client sends none of its POSTs due before Retry-After has passed: each is counted
     * as refused without being sent, so that a client behind schedule does not fire refused POSTs back to back (a
     * storm of them takes the CPU the workflow needs), while every scheduled POST still counts somewhere.
     */
    void startOffered(ExecutorService pool, int clients, double rate, long first, Duration ramp, long until,
                      LongFunction<LoadWindow> windowAt) {
        var schedule = new Schedule(rate, ramp.toNanos());
        for (int c = 0; c < clients; c++) {
            int client = c;
            pool.submit(() -> {
                try (var http = new HttpConnection(api)) {
                    long holdOffUntil = first;
                    for (long k = client; ; k += clients) {
                        long scheduled = first + schedule.offsetNanos(k);
                        if (scheduled >= until) {
                            return null;
                        }
                        var window = windowAt.apply(scheduled);
                        if (scheduled < holdOffUntil) {
                            window.error(window.throttled, "POST not sent (within Retry-After)");
                            continue;
                        }
                        SustainedLoad.sleepUntil(scheduled); // no wait when behind: the lateness counts in the latency
                        var answer = post(http, scheduled, n -> window);
                        if (answer.retryAfterMillis() > 0) {
                            holdOffUntil = System.nanoTime() + answer.retryAfterMillis() * 1_000_000;
                        }
                    }
                }
            });
        }
    }

    /** {@link #startOffered(ExecutorService, int, double, long, Duration, long, LongFunction)} at the full rate from the first POST. */
    void startOffered(ExecutorService pool, int clients, double rate, long first, long until, LongFunction<LoadWindow> windowAt) {
        startOffered(pool, clients, rate, first, Duration.ZERO, until, windowAt);
    }

    /**
     * When the k-th POST of an offered rate is due, in nanoseconds after the first: the rate rises linearly from a
     * tenth of {@code rate} to all of it over {@code rampNanos}, then stays.
     */
    record Schedule(double rate, long rampNanos) {
        long offsetNanos(long k) {
            double ramp = rampNanos / 1e9;
            double low = rate / 10;
            double duringRamp = (low + rate) / 2 * ramp; // POSTs the ramp holds
            if (k >= duringRamp) {
                return (long) ((ramp + (k - duringRamp) / rate) * 1e9);
            }
            // k = low·t + (rate − low)·t² / (2·ramp), solved for t
            double a = (rate - low) / (2 * ramp);
            return (long) ((-low + Math.sqrt(low * low + 4 * a * k)) / (2 * a) * 1e9);
        }
    }

    /** What a POST's answer asks of its client: how long to hold off (Retry-After), and whether it never got one. */
    private record Answer(boolean connectionFailed, long retryAfterMillis) {
        static final Answer GO_ON = new Answer(false, 0);
    }

    /** One POST whose latency counts from {@code since}; the answer is counted in {@code windowAt(arrival)}. */
    private Answer post(HttpConnection http, long since, LongFunction<LoadWindow> windowAt) {
        var payload = mix.pick(sequence.getAndIncrement());
        HttpConnection.Reply reply;
        try {
            reply = http.send("POST", "/orders", payload.body(), "Content-Type: application/json");
        } catch (IOException | RuntimeException e) {
            var window = windowAt.apply(System.nanoTime());
            window.error(window.otherErrors, "POST " + e.getClass().getSimpleName());
            return new Answer(true, 0);
        }
        long answered = System.nanoTime();
        var window = windowAt.apply(answered);
        int status = reply.status();
        if (status == 202) {
            accepted(reply, payload, since, answered, window);
        } else if (status == 429 || (status == 503 && reply.retryAfter() != null)) {
            window.error(window.throttled, "POST " + status);
            return new Answer(false, retryAfter(reply.retryAfter()));
        } else {
            window.error(status >= 500 ? window.serverErrors : window.otherErrors, "POST " + status);
        }
        return Answer.GO_ON;
    }

    private void accepted(HttpConnection.Reply reply, PayloadMix.Payload payload, long since, long answered, LoadWindow window) {
        // the wall-clock instant of `since`, to compare with the execution's stopDate
        var postedAt = Instant.now().minusNanos(System.nanoTime() - since);
        try {
            var body = Json.mapper().readTree(reply.body());
            var orderId = body.path("orderId").asText();
            var executionArn = body.path("executionArn").asText();
            window.accepted.increment();
            window.post.add(answered - since);
            boolean sampled = ThreadLocalRandom.current().nextInt(sampleEvery) == 0
                    && sampler.offer(executionArn, postedAt, window);
            orders.add(new OrderAudit.Accepted(orderId, executionArn, payload, sampled));
        } catch (IOException e) {
            window.error(window.otherErrors, "POST 202 unreadable");
        }
    }

    /** Retry-After in seconds or as an HTTP date (RFC 9110 10.2.3); a second when unreadable; at most 30 s. */
    static long retryAfter(String value) {
        Duration wait;
        try {
            wait = Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException | NullPointerException e) {
            try {
                wait = Duration.between(Instant.now(), ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
            } catch (RuntimeException notADate) {
                wait = Duration.ofSeconds(1);
            }
        }
        return Math.clamp(wait.toMillis(), 0, MAX_RETRY_AFTER.toMillis());
    }
}
