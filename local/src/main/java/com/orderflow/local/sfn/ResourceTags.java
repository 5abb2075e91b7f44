package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.ApiJson.object;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.store.WorkflowStore;
import com.orderflow.local.store.WorkflowStore.DocumentKind;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tags of state machines (TagResource, UntagResource, ListTagsForResource, CreateStateMachine's {@code tags}),
 * with AWS's limits, kept in the store: each change writes the resource's whole tag set.
 */
final class ResourceTags {

    /** AWS's quota of tags on one resource. */
    static final int MAX_TAGS = 50;

    private final WorkflowStore store;
    private final Map<String, Map<String, String>> byArn = new HashMap<>();

    ResourceTags(WorkflowStore store) {
        this.store = store;
        for (JsonNode d : store.documents(DocumentKind.TAGS)) {
            apply(d);
        }
    }

    /** The tags, in the order they were first set. */
    synchronized Map<String, String> of(String arn) {
        return Map.copyOf(byArn.getOrDefault(arn, Map.of()));
    }

    /** The tags as ListTagsForResource lists them. */
    synchronized List<Map.Entry<String, String>> listed(String arn) {
        return List.copyOf(byArn.getOrDefault(arn, Map.of()).entrySet());
    }

    /** Adds or overwrites tags; TooManyTags past {@link #MAX_TAGS}. */
    synchronized void tag(String arn, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        var updated = new LinkedHashMap<>(byArn.getOrDefault(arn, Map.of()));
        updated.putAll(tags);
        if (updated.size() > MAX_TAGS) {
            throw new StepFunctionsException("TooManyTags", "Too many tags: a resource can have at most " + MAX_TAGS
                    + " tags, and '" + arn + "' would have " + updated.size());
        }
        save(arn, updated);
    }

    synchronized void untag(String arn, Set<String> keys) {
        var current = byArn.get(arn);
        if (current == null || keys.stream().noneMatch(current::containsKey)) {
            return;
        }
        var updated = new LinkedHashMap<>(current);
        updated.keySet().removeAll(keys);
        save(arn, updated);
    }

    /** Forgets a deleted resource's tags. */
    synchronized void drop(String arn) {
        if (byArn.containsKey(arn)) {
            save(arn, Map.of());
        }
    }

    private void save(String arn, Map<String, String> tags) {
        ObjectNode document = object().put("arn", arn);
        var set = document.putObject("tags");
        tags.forEach(set::put);
        store.saveDocument(DocumentKind.TAGS, document);
        apply(document);
    }

    private void apply(JsonNode d) {
        var tags = new LinkedHashMap<String, String>();
        d.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        if (tags.isEmpty()) {
            byArn.remove(d.path("arn").asText());
        } else {
            byArn.put(d.path("arn").asText(), tags);
        }
    }
}
