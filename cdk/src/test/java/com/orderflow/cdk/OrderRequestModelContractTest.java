package com.orderflow.cdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.orderflow.api.http.ApiRequest;
import com.orderflow.api.http.ProblemException;
import com.orderflow.api.validation.JsonBody;
import com.orderflow.api.validation.OrderRequestValidator;

/**
 * The synthesized {@code POST /orders} model (what API Gateway checks on AWS) against the API function's own
 * validation (what the local stack runs): over the checked-in payloads, the API Gateway sample events and a few
 * thousand mutated orders, every body the function accepts must pass the model, so AWS never answers 400 where
 * the local stack answers 202.
 */
class OrderRequestModelContractTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final OrderRequestValidator HANDLER_VALIDATION = new OrderRequestValidator();

    private static JsonNode deployedSchema;
    private static List<String> corpus;

    @BeforeAll
    static void synthesizeAndBuildCorpus() throws IOException {
        var synth = SynthesizedStack.dev();
        deployedSchema = synth.resources("AWS::ApiGateway::Model").getFirst().at("/Properties/Schema");
        corpus = corpus();
    }

    @Test
    void everyBodyTheFunctionAccepts_passesTheDeployedModel() {
        var schema = schema(deployedSchema);

        var disagreements = corpus.stream().filter(acceptedByFunctionButNot(schema)).toList();
        System.out.printf("request model vs function over %d bodies: function accepts %d, refuses %d; model refuses %d%n",
                corpus.size(), corpus.stream().filter(OrderRequestModelContractTest::acceptedByFunction).count(),
                corpus.stream().filter(b -> !acceptedByFunction(b)).count(),
                corpus.stream().filter(b -> !acceptedByModel(schema, b)).count());

        assertThat(disagreements).isEmpty();
        // the corpus has both sides, and the model refuses some of what the function refuses
        assertThat(corpus.stream().filter(OrderRequestModelContractTest::acceptedByFunction).count()).isGreaterThan(200);
        assertThat(corpus.stream().filter(b -> !acceptedByFunction(b)).count()).isGreaterThan(1000);
        assertThat(corpus.stream().filter(b -> !acceptedByModel(schema, b)).count()).isGreaterThan(200);
    }

    @Test
    void anOrderWithoutTotal_isAcceptedByBoth() throws IOException {
        var order = (ObjectNode) baseOrder();
        order.remove("total");
        var body = MAPPER.writeValueAsString(order);

        assertThat(acceptedByFunction(body)).isTrue();
        assertThat(acceptedByModel(schema(deployedSchema), body)).isTrue();
    }

    @Test
    void theCheckFindsADisagreement_whenTheModelRequiresTotal() {
        // the model before this contract test existed: the same corpus catches it
        var strict = deployedSchema.deepCopy();
        ((ArrayNode) ((ObjectNode) strict).withArray("required")).add("total");
        var schema = schema(strict);

        assertThat(corpus.stream().filter(acceptedByFunctionButNot(schema)).toList()).isNotEmpty();
    }

    @Test
    void theModelChecksStructureOnly_soTheFunctionNamesTheFieldsOfMostInvalidBodies() {
        var schema = schema(deployedSchema);
        var refusedByFunction = corpus.stream().filter(b -> !acceptedByFunction(b)).count();
        var refusedByModel = corpus.stream().filter(b -> !acceptedByModel(schema, b)).count();

        assertThat(refusedByModel).isLessThan(refusedByFunction);
    }

    private static Predicate<String> acceptedByFunctionButNot(Schema schema) {
        return body -> acceptedByFunction(body) && !acceptedByModel(schema, body);
    }

    /** The function's path for a body: size, media type and strict JSON, then the order rules. */
    static boolean acceptedByFunction(String body) {
        var request = new ApiRequest("POST", "/orders", "/orders", Map.of(), Map.of("Content-Type", "application/json"),
                Map.of(), body, false, "", "contract-test");
        try {
            HANDLER_VALIDATION.validate(JsonBody.read(request));
            return true;
        } catch (ProblemException e) {
            return false;
        }
    }

    static boolean acceptedByModel(Schema schema, String body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (IOException e) {
            return false;
        }
        return node != null && schema.validate(node).isEmpty();
    }

    private static Schema schema(JsonNode schema) {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(schema);
    }

    private static List<String> corpus() throws IOException {
        var bodies = new ArrayList<String>();
        var root = SynthesizedStack.projectRoot();
        try (Stream<Path> payloads = Files.list(root.resolve("test-payloads"))) {
            for (var file : payloads.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                bodies.add(Files.readString(file));
            }
        }
        try (Stream<Path> events = Files.list(root.resolve("events/apigw"))) {
            for (var file : events.filter(p -> p.getFileName().toString().startsWith("post-orders")).sorted().toList()) {
                var event = MAPPER.readTree(file.toFile());
                var body = event.path("body").asText("");
                bodies.add(event.path("isBase64Encoded").asBoolean() ? new String(Base64.getDecoder().decode(body)) : body);
            }
        }
        var base = baseOrder();
        for (var path : paths(base, "")) {
            var removed = base.deepCopy();
            remove(removed, path);
            bodies.add(removed.toString());
            for (var value : values()) {
                var changed = base.deepCopy();
                replace(changed, path, value);
                bodies.add(changed.toString());
            }
        }
        // several changes at once, from a fixed seed so that a failure reproduces
        var random = new Random(18);
        var paths = paths(base, "");
        var values = values();
        for (int i = 0; i < 3000; i++) {
            var mutated = base.deepCopy();
            for (int changes = 1 + random.nextInt(3); changes > 0; changes--) {
                var path = paths.get(random.nextInt(paths.size()));
                if (random.nextInt(5) == 0) {
                    remove(mutated, path);
                } else {
                    replace(mutated, path, values.get(random.nextInt(values.size())));
                }
            }
            bodies.add(mutated.toString());
        }
        bodies.add(order(100).toString());
        bodies.add(order(101).toString());
        bodies.add("");
        bodies.add("[]");
        bodies.add("{\"customer\":");
        bodies.add("x".repeat(JsonBody.MAX_BYTES + 1));
        return bodies;
    }

    private static JsonNode baseOrder() throws IOException {
        return MAPPER.readTree("""
                {"customer": {"id": "cust-1001", "name": "Ada Lovelace", "email": "ada@example.com"},
                 "currency": "USD",
                 "items": [{"sku": "SKU-BOOK-001", "quantity": 2, "unitPrice": 39.99},
                           {"sku": "SKU-MUG-002", "quantity": 1, "unitPrice": "12.50"}],
                 "payment": {"token": "tok_visa"},
                 "total": 92.48}
                """);
    }

    private static ObjectNode order(int lines) {
        var order = NODES.objectNode();
        order.putObject("customer").put("id", "c-1").put("name", "N").put("email", "n@example.com");
        order.put("currency", "JPY");
        var items = order.putArray("items");
        for (int i = 0; i < lines; i++) {
            items.addObject().put("sku", "SKU-" + i).put("quantity", 1000).put("unitPrice", 1000000);
        }
        order.putObject("payment").put("token", "tok_visa");
        return order;
    }

    /** JSON values that probe types, bounds, formats and blanks of every field. */
    private static List<JsonNode> values() {
        var values = new ArrayList<JsonNode>(List.of(
                NODES.nullNode(), NODES.booleanNode(true), NODES.numberNode(0), NODES.numberNode(-1), NODES.numberNode(1),
                NODES.numberNode(1000), NODES.numberNode(1001), NODES.numberNode(new java.math.BigDecimal("2.0")),
                NODES.numberNode(new java.math.BigDecimal("12.345")), NODES.numberNode(new java.math.BigDecimal("1e2")),
                NODES.numberNode(new java.math.BigInteger("99999999999999999999")),
                NODES.textNode(""), NODES.textNode(" "), NODES.textNode("x"), NODES.textNode("USD"), NODES.textNode("usd"),
                NODES.textNode("XYZ"), NODES.textNode("EUR"), NODES.textNode("JPY"), NODES.textNode("12.50"),
                NODES.textNode("12.5.0"), NODES.textNode("-1"), NODES.textNode("tok_visa"), NODES.textNode("a@b.co"),
                NODES.textNode("SKU-1"), NODES.textNode("k".repeat(64)), NODES.textNode("k".repeat(65)),
                NODES.textNode("<script>alert(1)</script>"), NODES.textNode("Zoë 🚀"), NODES.textNode("a\u0007b"),
                NODES.arrayNode(), NODES.objectNode()));
        values.add(NODES.arrayNode().add(NODES.objectNode().put("sku", "S").put("quantity", 1).put("unitPrice", 1)));
        values.add(NODES.objectNode().put("token", "tok_chargeDeclined"));
        values.add(NODES.objectNode().put("id", "c").put("name", "n").put("email", "e@x.io"));
        return values;
    }

    /** JSON pointers of every member and element below {@code node}, plus one unknown member per object. */
    private static List<String> paths(JsonNode node, String prefix) {
        var paths = new ArrayList<String>();
        if (node.isObject()) {
            paths.add(prefix + "/unknownField");
            if (prefix.isEmpty()) {
                paths.add("/orderId");
            }
            node.properties().forEach(e -> {
                paths.add(prefix + "/" + e.getKey());
                paths.addAll(paths(e.getValue(), prefix + "/" + e.getKey()));
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                paths.add(prefix + "/" + i);
                paths.addAll(paths(node.get(i), prefix + "/" + i));
            }
        }
        return paths;
    }

    private static void replace(JsonNode root, String pointer, JsonNode value) {
        var parent = root.at(pointer.substring(0, pointer.lastIndexOf('/')));
        var last = pointer.substring(pointer.lastIndexOf('/') + 1);
        if (parent instanceof ObjectNode object) {
            object.set(last, value);
        } else if (parent instanceof ArrayNode array && last.matches("[0-9]+") && Integer.parseInt(last) < array.size()) {
            array.set(Integer.parseInt(last), value);
        }
    }

    private static void remove(JsonNode root, String pointer) {
        var parent = root.at(pointer.substring(0, pointer.lastIndexOf('/')));
        var last = pointer.substring(pointer.lastIndexOf('/') + 1);
        if (parent instanceof ObjectNode object) {
            object.remove(last);
        } else if (parent instanceof ArrayNode array && last.matches("[0-9]+") && Integer.parseInt(last) < array.size()) {
            array.remove(Integer.parseInt(last));
        }
    }
}
