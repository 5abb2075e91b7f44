package com.orderflow.local.engine.run;

import com.orderflow.local.engine.ObjectStore;
import com.orderflow.local.engine.definition.State;
import com.orderflow.local.engine.expr.JsonText;
import com.orderflow.local.engine.expr.StateFailure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Distributed Map's items from its ItemReader (a JSON array object, a CSV object, an object listing) and their
 * grouping into batches by its ItemBatcher.
 */
final class MapItems {

    static final String READER_FAILED = "States.ItemReaderFailed";
    private static final String GET_OBJECT = "arn:aws:states:::s3:getObject";

    private MapItems() {
    }

    /** The reader's MaxItems (0: all), from its literal or its MaxItemsPath; a negative one fails the read. */
    static int maxItems(State.ItemReader reader, JsonNode effective) {
        if (reader.maxItemsPath() == null) {
            return reader.maxItems() == null ? 0 : reader.maxItems();
        }
        JsonNode v = reader.maxItemsPath().read(effective);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw DistributedMapStep.notA("MaxItemsPath", v, "integer", reader.maxItemsPath().text());
        }
        return v.asInt();
    }

    /** The items the reader names, at most {@code maxItems} of them (0: all). */
    static ArrayNode read(State.ItemReader reader, int maxItems, JsonNode effective, StateScope scope, ObjectStore objects) {
        if (maxItems < 0) {
            throw new StateFailure(READER_FAILED, "field MaxItems must be positive");
        }
        JsonNode parameters = reader.parameters() == null ? JsonText.NODES.objectNode() : reader.parameters().evaluate(scope.on(effective));
        String bucket = parameters.path("Bucket").asText(null);
        if (bucket == null) {
            throw new StateFailure(READER_FAILED, "The ItemReader's Parameters have no Bucket");
        }
        ArrayNode items;
        try {
            if (!reader.resource().equals(GET_OBJECT)) {
                items = listing(objects.list(bucket, parameters.path("Prefix").asText(null)));
            } else {
                String key = parameters.path("Key").asText(null);
                if (key == null) {
                    throw new StateFailure(READER_FAILED, "The ItemReader's Parameters have no Key");
                }
                String body = new String(objects.get(bucket, key), StandardCharsets.UTF_8);
                items = reader.inputType().equals("CSV") ? csv(body, reader) : jsonArray(body, key);
            }
        } catch (IllegalStateException e) {
            throw new StateFailure(READER_FAILED, e.getMessage());
        }
        while (maxItems > 0 && items.size() > maxItems) {
            items.remove(items.size() - 1);
        }
        return items;
    }

    private static ArrayNode jsonArray(String body, String key) {
        JsonNode node;
        try {
            node = JsonText.readValue(body);
        } catch (RuntimeException e) {
            throw new StateFailure(READER_FAILED, "The object '" + key + "' is not JSON: " + e.getMessage());
        }
        if (!(node instanceof ArrayNode array)) {
            throw new StateFailure(READER_FAILED, "Attempting to map over non-iterable node.");
        }
        return array;
    }

    /** ListObjectsV2's objects as AWS hands them to a Map: Etag, Key, LastModified (epoch seconds), Size, StorageClass. */
    private static ArrayNode listing(List<ObjectStore.Listed> listed) {
        ArrayNode items = JsonText.NODES.arrayNode();
        for (var o : listed) {
            ObjectNode item = items.addObject();
            item.put("Etag", o.eTag());
            item.put("Key", o.key());
            item.put("LastModified", java.time.Instant.parse(o.lastModified()).getEpochSecond());
            item.put("Size", o.size());
            item.put("StorageClass", o.storageClass());
        }
        return items;
    }

    /** One object per data row, its fields named by the header row (FIRST_ROW) or by CSVHeaders (GIVEN), values as text. */
    static ArrayNode csv(String body, State.ItemReader reader) {
        List<List<String>> rows = CsvRows.parse(body);
        List<String> headers;
        int first;
        if (reader.csvHeaderLocation().equals("GIVEN")) {
            headers = reader.csvHeaders();
            first = 0;
        } else {
            if (rows.isEmpty()) {
                throw new StateFailure(READER_FAILED, "The CSV object has no header row");
            }
            headers = rows.getFirst();
            first = 1;
        }
        if (new java.util.HashSet<>(headers).size() < headers.size()) {
            throw new StateFailure(READER_FAILED, "CSV headers cannot contain duplicates.");
        }
        ArrayNode items = JsonText.NODES.arrayNode();
        for (int r = first; r < rows.size(); r++) {
            // as AWS reads CSV: fields past the headers are dropped, missing ones are empty
            List<String> row = rows.get(r);
            ObjectNode item = items.addObject();
            for (int c = 0; c < headers.size(); c++) {
                item.put(headers.get(c), c < row.size() ? row.get(c) : "");
            }
        }
        return items;
    }

    /**
     * The children's inputs: one per item, or with an ItemBatcher one per batch, {@code {"Items": [...]}} with the
     * BatchInput beside them as {@code "BatchInput"}; {@code sizes} gets how many items each child holds.
     */
    static List<JsonNode> childInputs(State.ItemBatcher batcher, List<JsonNode> items, JsonNode effective,
                                      StateScope scope, List<Integer> sizes) {
        List<JsonNode> inputs = new ArrayList<>();
        if (batcher == null) {
            for (JsonNode item : items) {
                inputs.add(item);
                sizes.add(1);
            }
            return inputs;
        }
        int perBatch = batcher.maxItemsPerBatch() != null ? batcher.maxItemsPerBatch()
                : TaskResource.positive(batcher.maxItemsPerBatchPath(), effective, "MaxItemsPerBatchPath");
        JsonNode batchInput = batcher.batchInput() == null ? null : batcher.batchInput().evaluate(scope.on(effective));
        for (int from = 0; from < items.size(); from += perBatch) {
            ObjectNode input = JsonText.NODES.objectNode();
            if (batchInput != null) {
                input.set("BatchInput", batchInput);
            }
            ArrayNode batch = input.putArray("Items");
            int to = Math.min(items.size(), from + perBatch);
            for (int i = from; i < to; i++) {
                batch.add(items.get(i));
            }
            inputs.add(input);
            sizes.add(to - from);
        }
        return inputs;
    }
}
