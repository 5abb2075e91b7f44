package com.orderflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.apigw.ApiGatewayServer;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile strings and shapes sent through the running local stack over HTTP. Every request gets a 4xx
 * {@code application/problem+json} or, when the input really is a valid order (a naughty customer name can be),
 * a 202 whose order is stored intact and reads back exactly; nothing else is stored and no other execution starts.
 *
 * <p>Each string of {@code reliability/naughty-strings.txt} goes into the customer name, into one strict field
 * (rotating through customer id, email, SKU, payment token and currency), as the order id of {@code GET
 * /orders/{id}} and as a query parameter: four requests per string, not the full cross product.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NaughtyInputTest {

    private static final int CLIENTS = 8;
    private static final String PROBLEM = "application/problem+json";

    /** A string field of the order: where it sits in the request and in the stored record, and what the API accepts. */
    enum Field {
        NAME("/customer/name", text -> plainText(text, 200)),
        CUSTOMER_ID("/customer/id", Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$").asMatchPredicate()),
        EMAIL("/customer/email", text -> plainText(text, 254)
                && Pattern.compile("^[^\\s@]{1,64}@[^\\s@]+\\.[^\\s@]+$").matcher(text).matches()),
        SKU("/items/0/sku", Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$").asMatchPredicate()),
        PAYMENT_TOKEN("/payment/token", Pattern.compile("^[A-Za-z0-9_]{1,64}$").asMatchPredicate()),
        CURRENCY("/currency", Set.of("USD", "EUR", "GBP", "JPY")::contains);

        final String pointer;
        /** The documented request schema for this field (README, API): whether the API must accept the text. */
        final Predicate<String> acceptable;

        Field(String pointer, Predicate<String> acceptable) {
            this.pointer = pointer;
            this.acceptable = acceptable;
        }

        static final List<Field> STRICT = List.of(CUSTOMER_ID, EMAIL, SKU, PAYMENT_TOKEN, CURRENCY);
    }

    /** One POST of an otherwise valid order with {@code text} in {@code field}, and what came of it. */
    record Placement(String text, Field field, int status, String contentType, JsonNode body) {
    }

    @TempDir
    static Path scratch;

    private RunningStack running;
    private ObjectNode validOrder;
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();

    @BeforeAll
    void start() throws Exception {
        running = RunningStack.inMemory(scratch);
        validOrder = (ObjectNode) Json.mapper().readTree(RunningStack.payload("order-completed.json"));
    }

    @AfterAll
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    static List<String> naughtyStrings() throws IOException {
        var strings = new ArrayList<String>();
        try (var in = NaughtyInputTest.class.getResourceAsStream("/reliability/naughty-strings.txt")) {
            for (var line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                strings.add(line.startsWith("u:") ? unescape(line.substring(2)) : line);
            }
        }
        // lengths around the caps, and far beyond them
        strings.addAll(List.of("n".repeat(200), "n".repeat(201), "\uD83D\uDE00".repeat(200), "\uD83D\uDE00".repeat(201),
                "a".repeat(10_000), "a".repeat(100_000)));
        return strings;
    }

    @Test
    void naughtyStrings_inOrderFields_getProblemOrRoundTripExactly() throws Exception {
        var strings = naughtyStrings();
        assertThat(strings).hasSizeGreaterThan(300);
        var keysBefore = running.storedKeys();
        var executionsBefore = running.executionNames();

        var tasks = new ArrayList<Callable<Placement>>();
        for (int i = 0; i < strings.size(); i++) {
            var text = strings.get(i);
            tasks.add(() -> place(text, Field.NAME));
            var strict = Field.STRICT.get(i % Field.STRICT.size());
            tasks.add(() -> place(text, strict));
        }
        var placements = runAll(tasks);

        var acceptedPlacements = new ArrayList<Placement>();
        for (var p : placements) {
            var what = "%s = %s -> %d %s".formatted(p.field(), visible(p.text()), p.status(), p.body());
            assertThat(p.status()).as(what).isIn(202, 400, 413);
            if (p.status() == 202) {
                assertThat(p.field().acceptable.test(p.text())).as("accepted although the schema refuses it: " + what).isTrue();
                acceptedPlacements.add(p);
            } else {
                assertThat(p.contentType()).as(what).isEqualTo(PROBLEM);
                assertThat(p.body().path("status").asInt()).as(what).isEqualTo(p.status());
                if (p.status() == 400) {
                    assertThat(p.field().acceptable.test(p.text())).as("refused although the schema allows it: " + what).isFalse();
                    assertThat(p.body().path("errors").findValuesAsText("pointer")).as(what).contains(p.field().pointer);
                }
            }
        }
        var acceptedPerField = new java.util.TreeMap<Field, Integer>();
        acceptedPlacements.forEach(p -> acceptedPerField.merge(p.field(), 1, Integer::sum));
        System.out.printf("naughty strings: %d strings, %d POSTs, accepted per field %s%n", strings.size(), placements.size(),
                acceptedPerField);
        // the customer name is free text: most of the list is a legitimate name and must be taken as such
        assertThat(acceptedPlacements).filteredOn(p -> p.field() == Field.NAME).hasSizeGreaterThan(strings.size() / 2);

        for (var p : acceptedPlacements) {
            var orderId = p.body().path("orderId").asText();
            var order = running.awaitFinal(orderId);
            var what = "%s = %s (order %s)".formatted(p.field(), visible(p.text()), orderId);
            assertThat(order.at("/order" + p.field().pointer).textValue()).as("GET " + what).isEqualTo(p.text());
            var stored = Json.mapper().readTree(running.s3.getObjectAsBytes(b -> b.bucket(running.stack.config().bucket())
                    .key("orders/" + orderId + ".json")).asByteArray());
            assertThat(stored.at("/order" + p.field().pointer).textValue()).as("S3 " + what).isEqualTo(p.text());
            if (p.field() == Field.NAME) {
                assertThat(order.path("status").asText()).as(what).isEqualTo("COMPLETED");
            }
        }
        assertOnlyAcceptedOrdersStored(keysBefore, executionsBefore);
    }

    @Test
    void naughtyStrings_asOrderIdsAndQueryParameters_getProblemsOrPages() throws Exception {
        var strings = naughtyStrings();
        var keysBefore = running.storedKeys();
        var executionsBefore = running.executionNames();

        var tasks = new ArrayList<Callable<HttpResponse<String>>>();
        for (int i = 0; i < strings.size(); i++) {
            var encoded = percentEncode(strings.get(i));
            int variant = i % 3;
            tasks.add(() -> running.get("/orders/" + encoded));
            tasks.add(() -> running.get(variant == 0 ? "/orders/" + encoded + "/history"
                    : (variant == 1 ? "/orders?limit=" : "/orders?nextToken=") + encoded));
        }
        // unencoded traversal the way a careless client would send it
        tasks.add(() -> running.get("/orders/../../../etc/passwd"));
        tasks.add(() -> running.get("/orders/..%2F..%2Fetc%2Fpasswd"));
        tasks.add(() -> running.get("/orders/%00"));
        tasks.add(() -> running.get("/orders/ord_00000000000000000000000000%0d%0aSet-Cookie:%20a=b"));
        tasks.add(() -> running.get("/orders?limit=1&limit=abc"));

        for (var response : runAll(tasks)) {
            var what = "GET %s -> %d %s".formatted(response.uri(), response.statusCode(), response.body());
            if (response.statusCode() == 200) {
                // a legitimate limit, e.g. "1": a page of orders
                assertThat(response.uri().getRawQuery()).as(what).startsWith("limit=");
                assertThat(Json.mapper().readTree(response.body()).has("orders")).as(what).isTrue();
            } else if (response.uri().getRawPath().length() + String.valueOf(response.uri().getRawQuery()).length()
                    > ApiGatewayServer.DEFAULT_LIMITS.maxHeaderBytes()) {
                // a request line longer than the front end takes in header: refused before the function, as a problem
                assertThat(response.statusCode()).as(what).isEqualTo(431);
                assertThat(response.headers().firstValue("Content-Type")).as(what).hasValue(PROBLEM);
            } else {
                assertThat(response.statusCode()).as(what).isIn(400, 404);
                assertThat(response.headers().firstValue("Content-Type")).as(what).hasValue(PROBLEM);
                assertThat(Json.mapper().readTree(response.body()).path("status").asInt()).as(what).isEqualTo(response.statusCode());
            }
            assertThat(response.headers().map().keySet()).as(what).noneMatch(name -> name.equalsIgnoreCase("Set-Cookie"));
        }
        assertOnlyAcceptedOrdersStored(keysBefore, executionsBefore);
    }

    static Stream<Arguments> hostileShapes() {
        var order = order();
        return Stream.of(
                Arguments.of("10k nested arrays", bytes("[".repeat(10_000) + "]".repeat(10_000)), 400),
                Arguments.of("10k nested objects", bytes("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)), 400),
                Arguments.of("10k nested arrays inside an item", bytes(order.replace("\"quantity\":2",
                        "\"quantity\":" + "[".repeat(10_000) + "]".repeat(10_000))), 400),
                Arguments.of("1e400 total", bytes(order.replace("\"total\":92.48", "\"total\":1e400")), 400),
                Arguments.of("-1e400 price", bytes(order.replace("\"unitPrice\":12.5", "\"unitPrice\":-1e400")), 400),
                Arguments.of("1e-400 price", bytes(order.replace("\"unitPrice\":12.5", "\"unitPrice\":1e-400")), 400),
                Arguments.of("100-digit quantity", bytes(order.replace("\"quantity\":2", "\"quantity\":" + "9".repeat(100))), 400),
                Arguments.of("100-digit price", bytes(order.replace("\"unitPrice\":12.5", "\"unitPrice\":" + "1".repeat(100))), 400),
                Arguments.of("1000-digit price", bytes(order.replace("\"unitPrice\":12.5", "\"unitPrice\":" + "1".repeat(1000))), 400),
                Arguments.of("-0 quantity", bytes(order.replace("\"quantity\":2", "\"quantity\":-0")), 400),
                Arguments.of("NaN literal total", bytes(order.replace("\"total\":92.48", "\"total\":NaN")), 400),
                Arguments.of("NaN text total", bytes(order.replace("\"total\":92.48", "\"total\":\"NaN\"")), 400),
                Arguments.of("Infinity price", bytes(order.replace("\"unitPrice\":12.5", "\"unitPrice\":Infinity")), 400),
                Arguments.of("hex quantity", bytes(order.replace("\"quantity\":2", "\"quantity\":0x2")), 400),
                Arguments.of("leading-zero quantity", bytes(order.replace("\"quantity\":2", "\"quantity\":02")), 400),
                Arguments.of("duplicate top-level key", bytes(order.replace("\"currency\":\"USD\"",
                        "\"currency\":\"USD\",\"currency\":\"EUR\"")), 400),
                Arguments.of("duplicate nested key", bytes(order.replace("\"token\":\"tok_visa\"",
                        "\"token\":\"tok_visa\",\"token\":\"tok_gatewayError\"")), 400),
                Arguments.of("duplicate key, same value", bytes(order.replace("\"currency\":\"USD\"",
                        "\"currency\":\"USD\",\"currency\":\"USD\"")), 400),
                Arguments.of("invalid UTF-8: lone continuation byte", withRawBytes(order, new byte[]{(byte) 0x80}), 400),
                Arguments.of("invalid UTF-8: truncated sequence", withRawBytes(order, new byte[]{(byte) 0xE2, (byte) 0x82}), 400),
                Arguments.of("invalid UTF-8: overlong slash", withRawBytes(order, new byte[]{(byte) 0xC0, (byte) 0xAF}), 400),
                Arguments.of("invalid UTF-8: encoded surrogate", withRawBytes(order, new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}), 400),
                Arguments.of("invalid UTF-8: 0xFF", withRawBytes(order, new byte[]{(byte) 0xFF, (byte) 0xFE}), 400),
                Arguments.of("invalid UTF-8: beyond U+10FFFF", withRawBytes(order, new byte[]{(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}), 400),
                Arguments.of("UTF-16 body", order.getBytes(StandardCharsets.UTF_16), 400),
                Arguments.of("NUL byte between tokens", bytes(order.replace(",\"currency\"", ",\u0000\"currency\"")), 400),
                Arguments.of("raw NUL inside a string", bytes(order.replace("Ada Lovelace", "Ada\u0000Lovelace")), 400),
                Arguments.of("raw newline inside a string", bytes(order.replace("Ada Lovelace", "Ada\nLovelace")), 400),
                Arguments.of("trailing garbage", bytes(order + "}{"), 400),
                Arguments.of("two documents", bytes(order + order), 400),
                Arguments.of("trailing comma", bytes(order.replace("\"tok_visa\"}", "\"tok_visa\",}")), 400),
                Arguments.of("comment", bytes("/*x*/" + order), 400),
                Arguments.of("single quotes", bytes(order.replace('"', '\'')), 400),
                Arguments.of("unquoted keys", bytes(order.replace("\"currency\":", "currency:")), 400),
                Arguments.of("array body", bytes("[" + order + "]"), 400),
                Arguments.of("string body", bytes("\"" + order.replace("\"", "\\\"") + "\""), 400),
                Arguments.of("empty body", new byte[0], 400),
                Arguments.of("whitespace body", bytes(" \r\n\t "), 400),
                Arguments.of("JSON null", bytes("null"), 400),
                Arguments.of("orderId in body", bytes(order.replace("{\"customer\"", "{\"orderId\":\"ord_00000000000000000000000000\",\"customer\"")), 400),
                Arguments.of("__proto__ field", bytes(order.replace("{\"customer\"", "{\"__proto__\":{\"admin\":true},\"customer\"")), 400),
                Arguments.of("10k line items", bytes(order.replaceFirst("\"items\":\\[", "\"items\":[" +
                        "{\"sku\":\"SKU-PEN-004\",\"quantity\":1,\"unitPrice\":24.95},".repeat(10_000))), 413),
                Arguments.of("101 line items", bytes(order.replaceFirst("\"items\":\\[", "\"items\":[" +
                        "{\"sku\":\"SKU-PEN-004\",\"quantity\":1,\"unitPrice\":24.95},".repeat(99))), 400),
                Arguments.of("just over the API's 64 KiB cap", bytes(order.replace("Ada Lovelace", "x".repeat(64 * 1024))), 413),
                Arguments.of("over the front end's 10 MB cap", bytes(order.replace("Ada Lovelace", "x".repeat(10 * 1024 * 1024))), 413));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileShapes")
    void hostileShape_getsProblem_andStoresNothing(String name, byte[] body, int expectedStatus) throws Exception {
        var keysBefore = running.storedKeys();
        var executionsBefore = running.executionNames();

        var response = running.http.send(HttpRequest.newBuilder(running.api("/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(name + ": " + response.body()).isEqualTo(expectedStatus);
        assertThat(response.headers().firstValue("Content-Type")).as(name).hasValue(PROBLEM);
        assertThat(Json.mapper().readTree(response.body()).path("status").asInt()).isEqualTo(expectedStatus);
        assertThat(running.storedKeys()).as("S3 orders/ after " + name).isEqualTo(keysBefore);
        assertThat(running.executionNames()).as("executions after " + name).isEqualTo(executionsBefore);
    }

    @Test
    void byteOrderMark_beforeAValidOrder_isIgnored_asRfc8259Allows() throws Exception {
        var body = withPrefix(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, order());

        var response = running.http.send(HttpRequest.newBuilder(running.api("/orders"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        var orderId = Json.mapper().readTree(response.body()).path("orderId").asText();
        accepted.add(orderId);
        assertThat(running.awaitFinal(orderId).at("/order/customer/name").asText()).isEqualTo("Ada Lovelace");
    }

    // ---- requests ----

    private Placement place(String text, Field field) throws Exception {
        var order = validOrder.deepCopy();
        var parent = (ObjectNode) order.at(field.pointer.substring(0, field.pointer.lastIndexOf('/')));
        parent.put(field.pointer.substring(field.pointer.lastIndexOf('/') + 1), text);
        var response = running.post(json(order), null);
        var body = Json.mapper().readTree(response.body());
        if (response.statusCode() == 202) {
            accepted.add(body.path("orderId").asText());
        }
        return new Placement(text, field, response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null), body);
    }

    /** UTF-8 text as is; text with unpaired surrogates (which UTF-8 cannot carry) as JSON {@code \\u} escapes. */
    private static String json(JsonNode order) throws IOException {
        var text = order.toString();
        boolean wellFormed = StandardCharsets.UTF_8.newEncoder().canEncode(text);
        ObjectWriter writer = wellFormed ? Json.mapper().writer()
                : Json.mapper().writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);
        return writer.writeValueAsString(order);
    }

    private <T> List<T> runAll(List<Callable<T>> tasks) throws Exception {
        var permits = new Semaphore(CLIENTS);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<T>>();
            for (var task : tasks) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        return task.call();
                    } finally {
                        permits.release();
                    }
                }));
            }
            var results = new ArrayList<T>();
            for (var future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    // ---- what is stored ----

    private void assertOnlyAcceptedOrdersStored(Set<String> keysBefore, Set<String> executionsBefore) throws Exception {
        for (var orderId : accepted) {
            running.awaitFinal(orderId);
        }
        var newKeys = new HashSet<>(running.storedKeys());
        newKeys.removeAll(keysBefore);
        var newExecutions = new HashSet<>(running.executionNames());
        newExecutions.removeAll(executionsBefore);
        assertThat(newKeys).as("new S3 objects").allSatisfy(key ->
                assertThat(accepted).contains(key.substring("orders/".length(), key.length() - ".json".length())));
        assertThat(newExecutions).as("new executions").allSatisfy(name -> assertThat(accepted).contains(name));
    }

    // ---- text ----

    private static boolean plainText(String text, int maxCodePoints) {
        if (text.isBlank() || text.codePointCount(0, text.length()) > maxCodePoints
                || !StandardCharsets.UTF_8.newEncoder().canEncode(text)) {
            return false;
        }
        return text.chars().noneMatch(c -> Character.isISOControl((char) c));
    }

    private static String order() {
        try {
            return Json.mapper().writeValueAsString(Json.mapper().readTree(RunningStack.payload("order-completed.json")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The order with raw bytes in the middle of the customer name. */
    private static byte[] withRawBytes(String order, byte[] raw) {
        int at = order.indexOf("Ada Lovelace") + "Ada ".length();
        return concat(bytes(order.substring(0, at)), raw, bytes(order.substring(at)));
    }

    private static byte[] withPrefix(byte[] prefix, String text) {
        return concat(prefix, bytes(text));
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (var part : parts) {
            length += part.length;
        }
        var out = new byte[length];
        int at = 0;
        for (var part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    /** RFC 3986 percent-encoding of every byte outside the unreserved set. */
    static String percentEncode(String text) {
        var out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
        return out.toString();
    }

    private static String unescape(String escaped) {
        var out = new StringBuilder();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c != '\\' || i + 1 >= escaped.length()) {
                out.append(c);
                continue;
            }
            char next = escaped.charAt(++i);
            switch (next) {
                case 'u' -> {
                    out.append((char) Integer.parseInt(escaped.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case '0' -> out.append('\0');
                default -> out.append(next);
            }
        }
        return out.toString();
    }

    /** For assertion messages: control and format characters made visible, long text cut. */
    private static String visible(String text) {
        var out = new StringBuilder();
        text.codePoints().limit(80).forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT || Character.isSurrogate((char) cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return text.length() > 80 ? out + "...(" + text.length() + " chars)" : out.toString();
    }
}
