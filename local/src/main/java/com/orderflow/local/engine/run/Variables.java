package com.orderflow.local.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * Workflow variables set by {@code Assign}. A Parallel branch or Map iteration reads the enclosing
 * scope's variables; what it assigns stays in its own scope.
 */
final class Variables {

    private final Variables parent;
    private Map<String, JsonNode> values;

    Variables(Variables parent) {
        this.parent = parent;
    }

    JsonNode get(String name) {
        for (Variables v = this; v != null; v = v.parent) {
            if (v.values != null) {
                JsonNode value = v.values.get(name);
                if (value != null) {
                    return value;
                }
            }
        }
        return null;
    }

    /** Sets every field of {@code assignments} as a variable, all at once. */
    void assign(ObjectNode assignments) {
        if (values == null) {
            values = new HashMap<>();
        }
        for (var e : assignments.properties()) {
            values.put(e.getKey(), e.getValue());
        }
    }
}
