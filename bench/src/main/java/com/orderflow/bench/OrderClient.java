package com.orderflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * The crash run's client of the local stack's API (the JDK HttpClient): POSTs with an Idempotency-Key, and polls
 * accepted orders through {@code GET /orders/{id}} to their final status.
 */
final class OrderClient {

    static final Set<String> FINAL = Set.of("COMPLETED", "REJECTED", "FAILED");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI api;
    /** Every order id a POST got a 202 for, with the body it was sent with. */
    final Map<String, String> accepted = new ConcurrentHashMap<>();

    OrderClient(URI api) {
        this.api = api;
    }

    /** Polls every accepted order until it has a final status or {@code limit} passes; returns the count per status. */
    Map<String, Integer> awaitFinal(Duration limit) throws InterruptedException {
        var statuses = new TreeMap<String, Integer>();
        finalStatuses(limit).values().forEach(status -> statuses.merge(status, 1, Integer::sum));
        return statuses;
    }

    /** Each accepted order's final status (or what {@link #finalStatus} saw last), by order id. */
    Map<String, String> finalStatuses(Duration limit) throws InterruptedException {
        var statuses = new ConcurrentHashMap<String, String>();
        long deadline = System.nanoTime() + limit.toNanos();
        var permits = new java.util.concurrent.Semaphore(16);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var orderId : accepted.keySet()) {
                executor.submit(() -> {
                    permits.acquire();
                    try {
                        statuses.put(orderId, finalStatus(orderId, deadline));
                    } finally {
                        permits.release();
                    }
                    return null;
                });
            }
        }
        return new TreeMap<>(statuses);
    }

    /** The order's final status, or {@code NOT_FOUND} / its last non-final status when the deadline passes first. */
    String finalStatus(String orderId, long deadlineNanos) throws InterruptedException {
        String last = "UNREACHABLE";
        do {
            try {
                var response = http.send(HttpRequest.newBuilder(api.resolve("/orders/" + orderId)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 404) {
                    last = "NOT_FOUND";
                } else if (response.statusCode() == 200) {
                    JsonNode order = Json.mapper().readTree(response.body());
                    last = order.path("status").asText();
                    if (FINAL.contains(last)) {
                        return last;
                    }
                } else {
                    last = "HTTP_" + response.statusCode();
                }
            } catch (IOException e) {
                last = "UNREACHABLE";
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadlineNanos);
        return last;
    }

    HttpResponse<String> post(String body, String idempotencyKey) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(api.resolve("/orders")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
