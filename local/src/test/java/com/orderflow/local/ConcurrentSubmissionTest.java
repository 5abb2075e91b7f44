package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many clients at once against the running local stack on loopback: a thousand POSTs with one
 * {@code Idempotency-Key} make one execution and one order; POSTs with distinct keys make one order each, none lost.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentSubmissionTest {

    private static final int IN_FLIGHT = 128;

    @TempDir
    static Path scratch;

    private RunningStack running;
    private String order;

    @BeforeAll
    void start() throws Exception {
        running = RunningStack.inMemory(scratch);
        order = RunningStack.payload("order-completed.json");
    }

    @AfterAll
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void thousandConcurrentPosts_withOneIdempotencyKey_makeOneExecutionAndOneOrder() throws Exception {
        var key = "checkout-" + UUID.randomUUID();
        var keysBefore = running.storedKeys();
        var executionsBefore = running.executionNames();

        var responses = concurrently(1_000, i -> running.post(order, key));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(202));
        var orderIds = responses.stream().map(r -> json(r).path("orderId").asText()).collect(Collectors.toSet());
        assertThat(orderIds).hasSize(1);
        var orderId = orderIds.iterator().next();

        assertThat(running.awaitFinal(orderId).path("status").asText()).isEqualTo("COMPLETED");
        assertThat(newItems(running.executionNames(), executionsBefore)).containsExactly(orderId);
        assertThat(newItems(running.storedKeys(), keysBefore)).containsExactly("orders/" + orderId + ".json");
        // one run wrote the order: RECEIVED then COMPLETED, no second run's versions
        assertThat(versionStatuses(orderId)).containsExactlyInAnyOrder("RECEIVED", "COMPLETED");
    }

    @Test
    void concurrentPosts_withDistinctKeys_makeOneOrderEach_noneLost() throws Exception {
        int orders = 200;
        var keysBefore = running.storedKeys();
        var executionsBefore = running.executionNames();
        var prefix = "distinct-" + UUID.randomUUID() + "-";

        var responses = concurrently(orders, i -> running.post(order, prefix + i));

        assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isEqualTo(202));
        var orderIds = responses.stream().map(r -> json(r).path("orderId").asText()).collect(Collectors.toSet());
        assertThat(orderIds).hasSize(orders);
        var statuses = new TreeMap<String, Integer>();
        for (var orderId : orderIds) {
            statuses.merge(running.awaitFinal(orderId).path("status").asText(), 1, Integer::sum);
        }
        assertThat(statuses).isEqualTo(Map.of("COMPLETED", orders));
        assertThat(newItems(running.executionNames(), executionsBefore)).containsExactlyInAnyOrderElementsOf(orderIds);
        assertThat(newItems(running.storedKeys(), keysBefore))
                .containsExactlyInAnyOrderElementsOf(orderIds.stream().map(id -> "orders/" + id + ".json").toList());
    }

    @Test
    void concurrentPosts_withOneKeyAndTwoBodies_oneBodyWins_theOtherGets409() throws Exception {
        var key = "contested-" + UUID.randomUUID();
        var other = ((ObjectNode) Json.mapper().readTree(order));
        ((ObjectNode) other.get("customer")).put("name", "Grace Hopper");
        var otherBody = other.toString();
        var executionsBefore = running.executionNames();

        var responses = concurrently(100, i -> running.post(i % 2 == 0 ? order : otherBody, key));

        var byBody = new TreeMap<String, Set<Integer>>();
        for (int i = 0; i < responses.size(); i++) {
            byBody.computeIfAbsent(i % 2 == 0 ? "first" : "second", k -> new HashSet<>()).add(responses.get(i).statusCode());
        }
        // every request of one body is accepted, every request of the other refused as a key reuse
        assertThat(byBody.values()).containsExactlyInAnyOrder(Set.of(202), Set.of(409));
        assertThat(responses).filteredOn(r -> r.statusCode() == 409).allSatisfy(r ->
                assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json"));
        var orderId = responses.stream().filter(r -> r.statusCode() == 202).map(r -> json(r).path("orderId").asText())
                .collect(Collectors.toSet());
        assertThat(orderId).hasSize(1);
        running.awaitFinal(orderId.iterator().next());
        assertThat(newItems(running.executionNames(), executionsBefore)).containsExactlyElementsOf(orderId);
    }

    @FunctionalInterface
    interface Request {
        HttpResponse<String> send(int index) throws Exception;
    }

    /** Sends {@code count} requests from virtual threads, at most {@value #IN_FLIGHT} in flight, released together. */
    private List<HttpResponse<String>> concurrently(int count, Request request) throws Exception {
        var permits = new Semaphore(IN_FLIGHT);
        var go = new CountDownLatch(1);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<HttpResponse<String>>>();
            for (int i = 0; i < count; i++) {
                int index = i;
                Callable<HttpResponse<String>> task = () -> {
                    go.await();
                    permits.acquire();
                    try {
                        return request.send(index);
                    } finally {
                        permits.release();
                    }
                };
                futures.add(executor.submit(task));
            }
            go.countDown();
            var responses = new ArrayList<HttpResponse<String>>();
            for (var future : futures) {
                responses.add(future.get());
            }
            return responses;
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static Set<String> newItems(Set<String> after, Set<String> before) {
        var items = new HashSet<>(after);
        items.removeAll(before);
        return items;
    }

    private List<String> versionStatuses(String orderId) throws Exception {
        var bucket = running.stack.config().bucket();
        var key = "orders/" + orderId + ".json";
        var statuses = new ArrayList<String>();
        for (var version : running.s3.listObjectVersions(b -> b.bucket(bucket).prefix(key)).versions()) {
            var record = running.s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).versionId(version.versionId()));
            statuses.add(Json.mapper().readTree(record.asByteArray()).path("status").asText());
        }
        return statuses;
    }
}
