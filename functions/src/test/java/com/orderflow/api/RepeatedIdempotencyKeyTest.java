package com.orderflow.api;

import static com.orderflow.api.ApiTestStack.call;
import static com.orderflow.api.ApiTestStack.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two {@code Idempotency-Key} fields: API Gateway hands the function the last in {@code headers} and both in
 * {@code multiValueHeaders}; the API refuses the request rather than guess which key was meant.
 */
class RepeatedIdempotencyKeyTest {

    private static final String ORDER = ApiTestStack.payload("order-completed.json");

    private ApiTestStack stack;
    private ApiHandler handler;

    @BeforeEach
    void handler() {
        stack = ApiTestStack.shared();
        handler = stack.handler(stack.newBucket());
    }

    @Test
    void twoKeys_is400NamingTheHeader_andStartsNothing() {
        int startsBefore = stack.sfn.startCalls();
        var event = postJson(ORDER, Map.of("Idempotency-Key", "key-b"));
        event.setMultiValueHeaders(multi(Map.of("Content-Type", List.of("application/json"),
                "Idempotency-Key", List.of("key-a", "key-b"))));

        var reply = call(handler, event);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(reply.json().path("type").asText()).isEqualTo("urn:orderflow:problem:invalid-request");
        assertThat(reply.json().path("detail").asText()).contains("more than once");
        assertThat(reply.json().at("/errors/0/header").asText()).isEqualTo("Idempotency-Key");
        assertThat(reply.errorPointers()).containsExactly("header:Idempotency-Key");
        assertThat(stack.sfn.startCalls()).isEqualTo(startsBefore);
    }

    @Test
    void twoEqualKeys_areStillTwo() {
        var event = postJson(ORDER, Map.of("Idempotency-Key", "key-a"));
        event.setMultiValueHeaders(multi(Map.of("Idempotency-Key", List.of("key-a", "key-a"))));

        assertThat(call(handler, event).status()).isEqualTo(400);
    }

    @Test
    void twoSpellingsOfTheName_countTogether() {
        var event = postJson(ORDER, Map.of("Idempotency-Key", "key-a", "idempotency-key", "key-b"));
        var values = new LinkedHashMap<String, List<String>>();
        values.put("Idempotency-Key", List.of("key-a"));
        values.put("idempotency-key", List.of("key-b"));
        event.setMultiValueHeaders(values);

        assertThat(call(handler, event).status()).isEqualTo(400);
    }

    @Test
    void oneKeyInBothMaps_isOneKey() {
        var event = postJson(ORDER, Map.of("Idempotency-Key", "repeat-test-" + System.nanoTime()));
        event.setMultiValueHeaders(multi(Map.of("Idempotency-Key", List.of(event.getHeaders().get("Idempotency-Key")))));

        assertThat(call(handler, event).status()).isEqualTo(202);
    }

    @Test
    void anotherHeaderRepeated_doesNotMatter() {
        var event = postJson(ORDER, Map.of("Accept", "application/json"));
        event.setMultiValueHeaders(multi(Map.of("Accept", List.of("application/json", "*/*"))));

        assertThat(call(handler, event).status()).isEqualTo(202);
    }

    private static Map<String, List<String>> multi(Map<String, List<String>> values) {
        return new LinkedHashMap<>(values);
    }
}
