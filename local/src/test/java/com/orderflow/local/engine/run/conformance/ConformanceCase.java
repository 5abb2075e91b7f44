package com.orderflow.local.engine.run.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One conformance case file: a definition, an input, scripted task behaviour and the result AWS
 * documents for them, with the source of that expectation.
 */
record ConformanceCase(
        String area,
        String name,
        String description,
        String source,
        JsonNode definition,
        JsonNode input,
        JsonNode tasks,
        JsonNode expected,
        JsonNode expectedTaskInputs,
        boolean unorderedTaskInputs,
        List<String> expectedEvents) {

    // decimals stay exact (0.381018, 622.2269926397355) so expected and actual numbers compare by value
    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    static ConformanceCase load(Path root, Path file) throws IOException {
        var node = READER.readTree(Files.readString(file));
        var relative = root.relativize(file);
        var area = relative.getNameCount() > 1 ? relative.getName(0).toString() : "";
        var fileName = relative.getFileName().toString();
        var name = fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
        List<String> events = null;
        if (node.has("expectedEvents")) {
            events = new ArrayList<>();
            for (var event : node.get("expectedEvents")) {
                events.add(event.asText());
            }
        }
        return new ConformanceCase(
                area,
                name,
                require(node, "description", file).asText(),
                require(node, "source", file).asText(),
                require(node, "definition", file),
                node.has("input") ? node.get("input") : JsonNodeFactory.instance.objectNode(),
                node.get("tasks"),
                require(node, "expected", file),
                node.get("expectedTaskInputs"),
                node.path("unorderedTaskInputs").asBoolean(false),
                events);
    }

    private static JsonNode require(JsonNode node, String field, Path file) {
        var value = node.get(field);
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            throw new IllegalArgumentException(file + ": a case must have '" + field + "'");
        }
        return value;
    }

    String id() {
        return area + "/" + name;
    }
}
