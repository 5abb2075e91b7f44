package com.orderflow.local.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The engine's hand-written JSON writer gives Jackson's text for every tree (the history shows it to users). */
class JsonTextTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void everyCharacter_isWrittenAsJacksonWritesIt() throws Exception {
        var all = new StringBuilder();
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            all.append(c);
        }
        var node = NODES.objectNode().put(all.toString(), all.toString());
        assertThat(JsonText.write(node)).isEqualTo(JsonText.mapper().writeValueAsString(node));
        assertThat(JsonText.write(NODES.textNode(all.toString()))).isEqualTo(JsonText.mapper().writeValueAsString(NODES.textNode(all.toString())));
    }

    @Test
    void everyScalarKind_isWrittenAsJacksonWritesIt() throws Exception {
        JsonNode[] scalars = {NODES.nullNode(), NODES.booleanNode(true), NODES.booleanNode(false), NODES.numberNode(0),
                NODES.numberNode(-7), NODES.numberNode(Long.MIN_VALUE), NODES.numberNode((short) 3),
                NODES.numberNode(new BigInteger("123456789012345678901234567890")),
                NODES.numberNode(new BigDecimal("1.50")), NODES.numberNode(new BigDecimal("1E+3")),
                NODES.numberNode(new BigDecimal("-0.000000001")), NODES.numberNode(0.1), NODES.numberNode(-0.0),
                NODES.numberNode(1e300), NODES.numberNode(Double.NaN), NODES.numberNode(Double.NEGATIVE_INFINITY),
                NODES.numberNode(1.5f), NODES.numberNode(Float.POSITIVE_INFINITY), NODES.missingNode(),
                NODES.binaryNode(new byte[] {1, 2, 3}), NODES.pojoNode(java.util.List.of("a", 1))};
        for (JsonNode scalar : scalars) {
            assertThat(JsonText.write(scalar)).as(scalar.getNodeType().name())
                    .isEqualTo(JsonText.mapper().writeValueAsString(scalar));
            var inArray = NODES.arrayNode().add(scalar).add(scalar);
            assertThat(JsonText.write(inArray)).isEqualTo(JsonText.mapper().writeValueAsString(inArray));
        }
    }

    @Test
    void randomTrees_areWrittenAsJacksonWritesThem() throws Exception {
        var random = new Random(20261206);
        for (int i = 0; i < 2_000; i++) {
            JsonNode tree = tree(random, 0);
            assertThat(JsonText.write(tree)).isEqualTo(JsonText.mapper().writeValueAsString(tree));
        }
        assertThat(JsonText.write(null)).isEqualTo("null");
        assertThat(JsonText.write(NODES.objectNode())).isEqualTo("{}");
        assertThat(JsonText.write(NODES.arrayNode())).isEqualTo("[]");
    }

    private static JsonNode tree(Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 5 : 7);
        return switch (kind) {
            case 0 -> NODES.textNode(text(random));
            case 1 -> NODES.numberNode(random.nextInt());
            case 2 -> NODES.numberNode(new BigDecimal(random.nextGaussian() * 1e6).setScale(random.nextInt(8), java.math.RoundingMode.HALF_UP));
            case 3 -> NODES.booleanNode(random.nextBoolean());
            case 4 -> random.nextBoolean() ? NODES.nullNode() : NODES.numberNode(random.nextDouble());
            case 5 -> {
                var object = NODES.objectNode();
                for (int n = random.nextInt(5); n > 0; n--) {
                    object.set(text(random), tree(random, depth + 1));
                }
                yield object;
            }
            default -> {
                var array = NODES.arrayNode();
                for (int n = random.nextInt(5); n > 0; n--) {
                    array.add(tree(random, depth + 1));
                }
                yield array;
            }
        };
    }

    private static String text(Random random) {
        var s = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            int pick = random.nextInt(4);
            s.append(switch (pick) {
                case 0 -> (char) random.nextInt(0x20);
                case 1 -> "\"\\/".charAt(random.nextInt(3));
                case 2 -> (char) (0x20 + random.nextInt(0x60));
                default -> (char) random.nextInt(Character.MAX_VALUE);
            });
        }
        return s.toString();
    }
}
