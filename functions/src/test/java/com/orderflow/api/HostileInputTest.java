package com.orderflow.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import static com.orderflow.api.ApiTestStack.call;
import static com.orderflow.api.ApiTestStack.postJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input of every kind gets a 4xx problem, never a 5xx and never an exception out of the handler: hand-picked
 * cases first, then a few thousand requests from a seeded generator that mutates a valid order.
 */
class HostileInputTest {

    private static final String ORDER = ApiTestStack.payload("order-completed.json");
    private static final long SEED = 20260409L;
    private static final int GENERATED_CASES = 3000;

    private static ApiTestStack stack;
    private static ApiHandler handler;

    @BeforeAll
    static void start() {
        stack = ApiTestStack.shared();
        handler = stack.handler(stack.newBucket());
    }

    static Stream<Arguments> hostileBodies() {
        return Stream.of(
                Arguments.of("empty body", "", 400),
                Arguments.of("whitespace body", "  \n\t ", 400),
                Arguments.of("JSON null", "null", 400),
                Arguments.of("JSON array", "[]", 400),
                Arguments.of("JSON string", "\"order\"", 400),
                Arguments.of("truncated", ORDER.substring(0, ORDER.length() / 2), 400),
                Arguments.of("trailing garbage", ORDER + " {}", 400),
                Arguments.of("duplicate key", "{\"currency\":\"USD\",\"currency\":\"EUR\"}", 400),
                Arguments.of("single quotes", "{'currency':'USD'}", 400),
                Arguments.of("NaN", replace("\"total\": 92.48", "\"total\": NaN"), 400),
                Arguments.of("1e400 price", replace("\"unitPrice\": 12.5", "\"unitPrice\": 1e400"), 400),
                Arguments.of("1e-400 price", replace("\"unitPrice\": 12.5", "\"unitPrice\": 1e-400"), 400),
                Arguments.of("huge exponent", replace("\"unitPrice\": 12.5", "\"unitPrice\": 1e999999999"), 400),
                Arguments.of("exponent overflow", replace("\"unitPrice\": 12.5", "\"unitPrice\": 1e99999999999"), 400),
                Arguments.of("negative exponent overflow", replace("\"total\": 92.48", "\"total\": 0.1e-2147483649"), 400),
                Arguments.of("huge integer quantity", replace("\"quantity\": 1", "\"quantity\": 99999999999999999999999"), 400),
                Arguments.of("101-digit number", replace("\"quantity\": 1", "\"quantity\": 1" + "0".repeat(100)), 400),
                Arguments.of("negative price", replace("\"unitPrice\": 12.5", "\"unitPrice\": -12.5"), 400),
                Arguments.of("fractional quantity", replace("\"quantity\": 1", "\"quantity\": 1.5"), 400),
                Arguments.of("zero quantity", replace("\"quantity\": 1", "\"quantity\": 0"), 400),
                Arguments.of("quantity over cap", replace("\"quantity\": 1", "\"quantity\": 1001"), 400),
                Arguments.of("third decimal", replace("\"unitPrice\": 12.5", "\"unitPrice\": 12.501"), 400),
                Arguments.of("yen with decimals", replace("\"USD\"", "\"JPY\""), 400),
                Arguments.of("unsupported currency", replace("\"USD\"", "\"XXX\""), 400),
                Arguments.of("orderId in body", replace("\"currency\"", "\"orderId\": \"ord_00000000000000000000000000\", \"currency\""), 400),
                Arguments.of("deep array nesting", "[".repeat(10_000) + "]".repeat(10_000), 400),
                Arguments.of("deep object nesting", "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000), 400),
                Arguments.of("nesting inside items", replace("\"quantity\": 1", "\"quantity\": " + "[".repeat(5000) + "]".repeat(5000)), 400),
                Arguments.of("escaped lone high surrogate", replace("Ada Lovelace", "Ada \\ud800 Lovelace"), 400),
                Arguments.of("escaped lone low surrogate", replace("Ada Lovelace", "\\udc00"), 400),
                Arguments.of("raw lone surrogate", replace("Ada Lovelace", "Ada \uD800 Lovelace"), 400),
                Arguments.of("lone surrogate as field name", replace("\"currency\"", "\"\\ud800\": 1, \"currency\""), 400),
                Arguments.of("control character", replace("Ada Lovelace", "Ada\\u0000Lovelace"), 400),
                Arguments.of("oversize name", replace("Ada Lovelace", "x".repeat(201)), 400),
                Arguments.of("items not array", replace("\"items\": [", "\"items\": {\"x\": [") .replace("]\n  },\n  \"payment\"", "]}\n  },\n  \"payment\""), 400),
                Arguments.of("101 items", tooManyItems(), 400),
                Arguments.of("body over 64 KiB", replace("Ada Lovelace", "x".repeat(70_000)), 413),
                Arguments.of("emoji and RTL name", replace("Ada Lovelace", "\uD83D\uDE00 \u05E2\u05D3\u05D4 \u202Eevil"), 202),
                Arguments.of("string amounts", replace("\"unitPrice\": 12.5", "\"unitPrice\": \"12.50\""), 202));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileBodies")
    void hostileBody_getsItsStatus_asProblemJson(String name, String body, int expected) {
        var reply = call(handler, postJson(body, Map.of()));

        assertThat(reply.status()).as(name + ": " + reply.rawBody()).isEqualTo(expected);
        assertWellFormed(reply);
    }

    @Test
    void base64Body_isDecoded() {
        var event = postJson(Base64.getEncoder().encodeToString(ORDER.getBytes(StandardCharsets.UTF_8)), Map.of());
        event.setIsBase64Encoded(true);

        assertThat(call(handler, event).status()).isEqualTo(202);
    }

    @Test
    void base64Body_thatIsNotBase64_orNotUtf8_is400() {
        var notBase64 = postJson("{not base64!}", Map.of());
        notBase64.setIsBase64Encoded(true);
        var notUtf8 = postJson(Base64.getEncoder().encodeToString(new byte[]{'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}), Map.of());
        notUtf8.setIsBase64Encoded(true);

        assertThat(call(handler, notBase64).status()).isEqualTo(400);
        assertThat(call(handler, notUtf8).status()).isEqualTo(400);
    }

    @Test
    void missingOrWrongContentType_is415() {
        var noHeaders = postJson(ORDER, Map.of());
        noHeaders.setHeaders(null);
        var latin1 = postJson(ORDER, Map.of("Content-Type", "application/json; charset=ISO-8859-1"));
        var text = postJson(ORDER, Map.of("content-type", "text/plain"));
        var upperCase = postJson(ORDER, Map.of("CONTENT-TYPE", "Application/JSON; Charset=UTF-8"));

        assertThat(call(handler, noHeaders).status()).isEqualTo(415);
        assertThat(call(handler, latin1).status()).isEqualTo(415);
        assertThat(call(handler, text).status()).isEqualTo(415);
        assertThat(call(handler, upperCase).status()).isEqualTo(202);
    }

    @Test
    void nullBody_andNullEvent_andEmptyEvent_are4xx() {
        var nullBody = postJson(null, Map.of());

        assertThat(call(handler, nullBody).status()).isEqualTo(400);
        assertThat(ApiTestStack.Reply.of(handler.handleRequest(null, null)).status()).isEqualTo(404);
        assertThat(call(handler, new APIGatewayProxyRequestEvent()).status()).isEqualTo(404);
    }

    @Test
    void generatedRequests_neverGet5xx() {
        var random = new Random(SEED);
        var statuses = new TreeMap<Integer, Integer>();
        for (int i = 0; i < GENERATED_CASES; i++) {
            var event = generate(random);
            ApiTestStack.Reply reply;
            try {
                reply = call(handler, event);
            } catch (RuntimeException e) {
                throw new AssertionError("case " + i + " threw: " + describe(event), e);
            }
            assertThat(reply.status()).as("case %d: %s -> %s", i, describe(event), reply.rawBody()).isLessThan(500);
            assertWellFormed(reply);
            statuses.merge(reply.status(), 1, Integer::sum);
        }
        // the generator must reach both sides of validation, or it proves nothing
        assertThat(statuses).containsKeys(200, 202, 400, 404, 405, 413, 415);
        System.out.println("generated request statuses: " + statuses);
    }

    // ---- the generator ----

    private static APIGatewayProxyRequestEvent generate(Random random) {
        var roll = random.nextInt(100);
        if (roll < 70) {
            return generatedPost(random);
        }
        var method = pick(random, "GET", "GET", "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "", "get");
        var path = pick(random, "/orders", "/orders/", "/orders/ord_zzzzzzzzzzzzzzzzzzzzzzzzzz", "/orders/"
                        + randomText(random, 30), "/orders/ord_zzzzzzzzzzzzzzzzzzzzzzzzzz/history", "/", "",
                "/orders/x/y/z", "/customers", "/orders?limit=" + randomText(random, 4),
                "/orders?limit=" + random.nextInt(-5, 200), "/orders?nextToken=" + randomText(random, 40));
        var event = ApiTestStack.request(method, path, randomHeaders(random), random.nextBoolean() ? null : randomText(random, 50));
        if (random.nextInt(10) == 0) {
            event.setPath(null);
            event.setResource(pick(random, "/orders", "/orders/{id}", "/orders/{id}/history", "/{proxy+}", "/x/{y+}"));
            event.setPathParameters(random.nextBoolean() ? null : Map.of("id", randomText(random, 10), "proxy", randomText(random, 10)));
        }
        return event;
    }

    private static APIGatewayProxyRequestEvent generatedPost(Random random) {
        String body;
        try {
            var tree = Json.mapper().readTree(ORDER);
            var mutations = random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                tree = mutate(tree, random);
            }
            body = tree.toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        body = switch (random.nextInt(12)) {
            case 0 -> body.substring(0, random.nextInt(body.length() + 1));
            case 1 -> insertAt(body, random, randomText(random, 5));
            case 2 -> insertAt(body, random, pick(random, "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud83d"));
            case 3 -> random.nextBoolean() ? "[".repeat(random.nextInt(10_000)) : "{\"a\":".repeat(random.nextInt(3000)) + "1";
            default -> body;
        };
        var headers = new HashMap<String, String>();
        var contentTypeRoll = random.nextInt(20);
        if (contentTypeRoll > 1) {
            headers.put(pick(random, "Content-Type", "content-type", "CONTENT-TYPE"),
                    contentTypeRoll == 2 ? pick(random, "text/plain", "application/xml", "application/json; charset=latin1", "")
                            : "application/json");
        }
        if (random.nextInt(8) == 0) {
            headers.put("Idempotency-Key", random.nextBoolean() ? "key-" + random.nextInt(20) : randomText(random, 20));
        }
        if (random.nextInt(40) == 0) {
            body = body + " ".repeat(70_000);
        }
        var event = ApiTestStack.request("POST", "/orders", headers, body);
        if (random.nextInt(10) == 0) {
            event.setBody(Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
            event.setIsBase64Encoded(true);
        }
        return event;
    }

    /** One structural change somewhere in the tree: replace a value, drop a field, add a field, or wrap a value. */
    private static JsonNode mutate(JsonNode root, Random random) {
        var containers = new ArrayList<JsonNode>();
        collectContainers(root, containers);
        if (containers.isEmpty()) {
            return randomValue(random, 0);
        }
        var target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode object && !object.isEmpty()) {
            var names = new ArrayList<String>();
            object.fieldNames().forEachRemaining(names::add);
            var name = names.get(random.nextInt(names.size()));
            switch (random.nextInt(4)) {
                case 0 -> object.remove(name);
                case 1 -> object.set(randomText(random, 8), randomValue(random, 0));
                default -> object.set(name, randomValue(random, 0));
            }
        } else if (target instanceof ArrayNode array && !array.isEmpty()) {
            var index = random.nextInt(array.size());
            switch (random.nextInt(3)) {
                case 0 -> array.remove(index);
                case 1 -> {
                    for (int i = random.nextInt(120); i > 0; i--) {
                        array.add(array.get(index).deepCopy());
                    }
                }
                default -> array.set(index, randomValue(random, 0));
            }
        }
        return random.nextInt(50) == 0 ? randomValue(random, 0) : root;
    }

    private static void collectContainers(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            node.forEach(child -> collectContainers(child, out));
        }
    }

    private static JsonNode randomValue(Random random, int depth) {
        var f = JsonNodeFactory.instance;
        return switch (random.nextInt(depth > 3 ? 9 : 11)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(random.nextBoolean());
            case 2 -> f.numberNode(random.nextInt());
            case 3 -> f.numberNode(new BigDecimal(pick(random, "1e400", "-1e400", "1e-400", "99999999999999999999999",
                    "0.001", "-0.01", "12.345", "0", "1000", "1001", "0.10", "1E+3", "123456789012345678901234567890.5")));
            case 4 -> f.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(-10, 20)));
            case 5, 6 -> f.textNode(randomText(random, random.nextInt(1, 40)));
            case 7 -> f.textNode(pick(random, "USD", "JPY", "tok_visa", "SKU-BOOK-001", "a@b.co", "12.50", "-1", "1e5", ""));
            case 8 -> f.textNode("x".repeat(random.nextInt(300)));
            case 9 -> {
                var array = f.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomValue(random, depth + 1));
                }
                yield array;
            }
            default -> {
                var object = f.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(pick(random, "sku", "quantity", "unitPrice", "id", "name", "email", "token", randomText(random, 5)),
                            randomValue(random, depth + 1));
                }
                yield object;
            }
        };
    }

    /** Text from awkward corners of Unicode: lone surrogates, emoji, RTL and bidi controls, NUL, quotes. */
    private static String randomText(Random random, int length) {
        var out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(switch (random.nextInt(12)) {
                case 0 -> (char) (0xD800 + random.nextInt(0x800));
                case 1 -> "\uD83D\uDE80";
                case 2 -> (char) (0x0590 + random.nextInt(0x100));
                case 3 -> pick(random, "\u202E", "\u200F", "\uFEFF", "\u0000", "\u001F", "\u007F");
                case 4 -> pick(random, "\"", "\\", "/", "'", "%", "..", "{", "}", "?", "&", "#", ":");
                case 5 -> (char) random.nextInt(0x10000);
                default -> (char) ('a' + random.nextInt(26));
            });
        }
        return out.toString();
    }

    private static Map<String, String> randomHeaders(Random random) {
        var headers = new HashMap<String, String>();
        if (random.nextBoolean()) {
            headers.put(pick(random, "Content-Type", "content-type"), pick(random, "application/json", "text/plain", randomText(random, 8)));
        }
        if (random.nextInt(4) == 0) {
            headers.put("Idempotency-Key", randomText(random, 10));
        }
        return headers;
    }

    private static String insertAt(String text, Random random, String insert) {
        var at = random.nextInt(text.length() + 1);
        return text.substring(0, at) + insert + text.substring(at);
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }

    // ---- checks and fixtures ----

    /** Whatever the status: a JSON body, problem+json for errors, and nothing that betrays the implementation. */
    private static void assertWellFormed(ApiTestStack.Reply reply) {
        assertThat(reply.json()).as("JSON body: " + reply.rawBody()).isNotNull();
        if (reply.status() >= 400) {
            assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(reply.json().path("status").asInt()).isEqualTo(reply.status());
        }
        assertThat(reply.rawBody()).doesNotContain("Exception", "com.fasterxml", "com.orderflow", "at java.", "software.amazon");
        // the body must survive a strict UTF-8 round trip: no unpaired surrogates reach the client
        assertThat(new String(reply.rawBody().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(reply.rawBody());
    }

    private static String replace(String target, String replacement) {
        if (!ORDER.contains(target)) {
            throw new IllegalArgumentException("payload has no " + target);
        }
        return ORDER.replaceFirst(java.util.regex.Pattern.quote(target), java.util.regex.Matcher.quoteReplacement(replacement));
    }

    private static String tooManyItems() {
        var item = "{\"sku\": \"SKU-BOOK-001\", \"quantity\": 1, \"unitPrice\": 39.99}";
        var items = String.join(",", java.util.Collections.nCopies(101, item));
        return ORDER.replaceFirst("(?s)\"items\": \\[.*?\\]", java.util.regex.Matcher.quoteReplacement("\"items\": [" + items + "]"));
    }

    private static String describe(APIGatewayProxyRequestEvent event) {
        var body = event.getBody();
        return event.getHttpMethod() + " " + event.getPath() + " " + event.getHeaders() + " "
                + (body == null ? "null" : body.length() > 300 ? body.substring(0, 300) + "..." : body);
    }
}
