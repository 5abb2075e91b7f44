package com.orderflow.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import java.math.BigDecimal;
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
}
