package com.orderflow.local.sfn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.expr.JsonText;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The pieces every response body of the API is built from. */
final class ApiJson {

    private ApiJson() {
    }

    /** AWS JSON 1.0 timestamps: epoch seconds, with the milliseconds as a fraction. */
    static JsonNode epochSeconds(Instant instant) {
        return Json.mapper().getNodeFactory().numberNode(BigDecimal.valueOf(instant.toEpochMilli(), 3));
    }

    static ObjectNode object() {
        return Json.mapper().createObjectNode();
    }

    /**
     * A response body as UTF-8 JSON text, byte for byte what the shared mapper writes. The engine's writer does it for
     * a fraction of the mapper's cost per call (its serializer provider and generator per body were a sixth of a
     * StartExecution's CPU outside the engine). What the two would write differently goes to the mapper: a decimal
     * the mapper writes plain and the engine's writer not ({@code 1E+3}), and a character outside the Basic
     * Multilingual Plane, which the mapper escapes as a surrogate pair.
     */
    static byte[] write(JsonNode body) {
        if (needsMapper(body)) {
            try {
                return Json.mapper().writeValueAsBytes(body);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a tree of the API's own cannot be written", e);
            }
        }
        return JsonText.write(body).getBytes(StandardCharsets.UTF_8);
    }

    private static boolean needsMapper(JsonNode node) {
        if (node.isObject()) {
            for (var field : node.properties()) {
                if (hasSurrogate(field.getKey()) || needsMapper(field.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (var element : node) {
                if (needsMapper(element)) {
                    return true;
                }
            }
            return false;
        }
        if (node.isTextual()) {
            return hasSurrogate(node.textValue());
        }
        if (node.isBigDecimal()) {
            var decimal = node.decimalValue();
            return decimal.scale() < 0 || decimal.precision() - decimal.scale() < -5; // where toString uses an exponent
        }
        return node.isPojo() || node.isBinary();
    }

    private static boolean hasSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isSurrogate(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
