package com.orderflow.local.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.TaskFailedException;
import com.orderflow.local.engine.expr.JsonText;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.util.SdkAutoConstructList;

/**
 * Between a Task's Parameters and an SDK request, and an SDK response and the Task's result, by the model's own
 * member names: Step Functions spells an SDK integration's fields in PascalCase, as the service model does
 * ({@code Bucket}, {@code ContentType}, {@code ETag}), so the SDK's field list is the one dictionary needed.
 */
final class SdkShapes {

    private SdkShapes() {
    }

    /**
     * Sets every parameter on the request builder by its member name; {@code handledElsewhere} names those the
     * caller takes itself (a body). A field the request has not, or of a shape that is not scalar, fails the Task.
     */
    static <B extends SdkPojo> B fill(B builder, JsonNode parameters, String action, Set<String> handledElsewhere)
            throws TaskFailedException {
        return fill(builder, parameters, action, handledElsewhere, Map.of());
    }

    /**
     * As {@link #fill(SdkPojo, JsonNode, String, Set)}, where the Java SDK renamed a member of the service's model:
     * {@code renamed} maps the model's name, which a Task uses, to the SDK's.
     */
    static <B extends SdkPojo> B fill(B builder, JsonNode parameters, String action, Set<String> handledElsewhere,
                                      Map<String, String> renamed) throws TaskFailedException {
        if (!parameters.isObject()) {
            throw new TaskFailedException("States.Runtime", "The " + action + " Parameters must be a JSON object");
        }
        Map<String, SdkField<?>> fields = new LinkedHashMap<>();
        builder.sdkFields().forEach(f -> fields.put(f.memberName(), f));
        for (var entry : parameters.properties()) {
            String name = entry.getKey();
            if (handledElsewhere.contains(name)) {
                continue;
            }
            SdkField<?> field = fields.get(renamed.getOrDefault(name, name));
            if (field == null) {
                throw new TaskFailedException("States.Runtime", "The field '" + name + "' is not supported by "
                        + action + "; its fields are " + fields.keySet());
            }
            field.set(builder, value(field, entry.getValue(), action));
        }
        return builder;
    }

    private static Object value(SdkField<?> field, JsonNode v, String action) throws TaskFailedException {
        MarshallingType<?> type = field.marshallingType();
        String at = action + "." + field.memberName();
        if (v.isNull()) {
            return null;
        }
        if (type == MarshallingType.STRING && v.isValueNode()) {
            return v.asText();
        }
        if (type == MarshallingType.INTEGER && v.canConvertToInt()) {
            return v.intValue();
        }
        if (type == MarshallingType.LONG && v.canConvertToLong()) {
            return v.longValue();
        }
        if (type == MarshallingType.BOOLEAN && v.isBoolean()) {
            return v.booleanValue();
        }
        if (type == MarshallingType.INSTANT && v.isTextual()) {
            try {
                return Instant.parse(v.textValue());
            } catch (DateTimeParseException e) {
                throw new TaskFailedException("States.Runtime", at + " is not an ISO-8601 instant: " + v.textValue());
            }
        }
        if (type == MarshallingType.MAP && v.isObject()) {
            var map = new LinkedHashMap<String, String>();
            for (var e : v.properties()) {
                if (!e.getValue().isValueNode()) {
                    throw new TaskFailedException("States.Runtime", at + "." + e.getKey() + " must be a string");
                }
                map.put(e.getKey(), e.getValue().asText());
            }
            return map;
        }
        throw new TaskFailedException("States.Runtime", at + " cannot take " + JsonText.write(v));
    }

    /** Every field the response carries, by member name; instants as ISO-8601 text, lists absent from the answer left out. */
    static ObjectNode toJson(SdkPojo pojo) {
        var json = JsonText.NODES.objectNode();
        for (SdkField<?> field : pojo.sdkFields()) {
            JsonNode value = json(field.getValueOrDefault(pojo));
            if (value != null) {
                json.set(field.memberName(), value);
            }
        }
        return json;
    }

    private static JsonNode json(Object value) {
        return switch (value) {
            case null -> null;
            case SdkAutoConstructList<?> unset -> null;
            case String s -> JsonText.NODES.textNode(s);
            case Integer i -> JsonText.NODES.numberNode(i);
            case Long l -> JsonText.NODES.numberNode(l);
            case Boolean b -> JsonText.NODES.booleanNode(b);
            case Instant t -> JsonText.NODES.textNode(t.toString());
            case SdkPojo p -> toJson(p);
            case List<?> list -> {
                var array = JsonText.NODES.arrayNode();
                list.forEach(item -> array.add(json(item)));
                yield array;
            }
            case Map<?, ?> map -> {
                var object = JsonText.NODES.objectNode();
                map.forEach((k, v) -> object.set(String.valueOf(k), json(v)));
                yield object;
            }
            default -> JsonText.NODES.textNode(value.toString());
        };
    }
}
