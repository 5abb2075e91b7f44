package com.orderflow.local.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A compiled Parameters / ResultSelector / ItemSelector payload template: fields whose names end in
 * {@code .$} take their value from a path, a context path or an intrinsic function. A JSONata state's fields are
 * {@link JsonataTemplate}s, evaluated by the same steps.
 */
public abstract sealed class PayloadTemplate permits PayloadTemplate.Constant, PayloadTemplate.ObjectTemplate,
        PayloadTemplate.ArrayTemplate, PayloadTemplate.PathValue, PayloadTemplate.IntrinsicValue, JsonataTemplate {

    /** Builds the payload from {@code scope.input()} and, for {@code $$} paths, the context object. */
    public abstract JsonNode evaluate(EvaluationScope scope);

    /**
     * Compiles a template; throws IllegalArgumentException with the JSON pointer-ish location and
     * reason when a {@code .$} field's value is not a path or intrinsic function.
     */
    public static PayloadTemplate compile(JsonNode template) {
        return build(template, "");
    }

    private static PayloadTemplate build(JsonNode node, String where) {
        if (node instanceof ObjectNode object) {
            List<Field> fields = new ArrayList<>(object.size());
            boolean dynamic = false;
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                var e = it.next();
                String key = e.getKey();
                if (key.endsWith(".$")) {
                    String name = key.substring(0, key.length() - 2);
                    fields.add(new Field(name, key, dynamicValue(key, e.getValue(), where)));
                    dynamic = true;
                } else {
                    PayloadTemplate child = build(e.getValue(), where + "/" + key);
                    dynamic |= !(child instanceof Constant);
                    fields.add(new Field(key, key, child));
                }
            }
            return dynamic ? new ObjectTemplate(fields) : new Constant(object);
        }
        if (node instanceof ArrayNode array) {
            List<PayloadTemplate> items = new ArrayList<>(array.size());
            boolean dynamic = false;
            for (int i = 0; i < array.size(); i++) {
                PayloadTemplate child = build(array.get(i), where + "[" + i + "]");
                dynamic |= !(child instanceof Constant);
                items.add(child);
            }
            return dynamic ? new ArrayTemplate(items) : new Constant(array);
        }
        return new Constant(node);
    }

    private static PayloadTemplate dynamicValue(String key, JsonNode value, String where) {
        if (!value.isTextual()) {
            throw new IllegalArgumentException("The value for the field '" + key
                    + "' must be a STRING that contains a JSONPath but was a " + value.getNodeType().name()
                    + " at " + where);
        }
        String text = value.textValue();
        if (text.startsWith("$")) {
            try {
                return new PathValue(key, AslPath.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The value for the field '" + key
                        + "' must be a valid JSONPath or a valid intrinsic function call at " + where);
            }
        }
        if (Intrinsic.looksLikeCall(text)) {
            try {
                return new IntrinsicValue(Intrinsic.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("The value for the field '" + key
                        + "' must be a valid JSONPath or a valid intrinsic function call at " + where);
            }
        }
        throw new IllegalArgumentException("The value for the field '" + key
                + "' must be a valid JSONPath or a valid intrinsic function call at " + where);
    }

    /** A single path or intrinsic value, reported under {@code field} (e.g. a Fail state's CausePath). */
    public static PayloadTemplate single(String field, String expression) {
        return dynamicValue(field, JsonText.NODES.textNode(expression), "");
    }

    private record Field(String name, String key, PayloadTemplate value) {
    }

    /** A part without any {@code .$} field: the definition's own (never mutated) node is reused. */
    static final class Constant extends PayloadTemplate {
        private final JsonNode value;

        Constant(JsonNode value) {
            this.value = value;
        }

        @Override
        public JsonNode evaluate(EvaluationScope scope) {
            return value;
        }
    }

    static final class ObjectTemplate extends PayloadTemplate {
        private final List<Field> fields;

        ObjectTemplate(List<Field> fields) {
            this.fields = fields;
        }

        @Override
        public JsonNode evaluate(EvaluationScope scope) {
            ObjectNode out = JsonText.NODES.objectNode();
            for (Field f : fields) {
                out.set(f.name(), f.value().evaluate(scope));
            }
            return out;
        }
    }

    static final class ArrayTemplate extends PayloadTemplate {
        private final List<PayloadTemplate> items;

        ArrayTemplate(List<PayloadTemplate> items) {
            this.items = items;
        }

        @Override
        public JsonNode evaluate(EvaluationScope scope) {
            ArrayNode out = JsonText.NODES.arrayNode(items.size());
            for (PayloadTemplate item : items) {
                out.add(item.evaluate(scope));
            }
            return out;
        }
    }

    static final class PathValue extends PayloadTemplate {
        private final String key;
        private final AslPath path;

        PathValue(String key, AslPath path) {
            this.key = key;
            this.path = path;
        }

        @Override
        public JsonNode evaluate(EvaluationScope scope) {
            JsonNode root = path.rootIn(scope);
            JsonNode value = root == null ? null : path.read(root);
            if (value == null) {
                throw StateFailure.engine(StateFailure.RUNTIME, "The JSONPath '" + path.text()
                        + "' specified for the field '" + key + "' could not be found in the input '"
                        + JsonText.write(root == null ? scope.input() : root) + "'");
            }
            return value;
        }
    }

    static final class IntrinsicValue extends PayloadTemplate {
        private final Intrinsic function;

        IntrinsicValue(Intrinsic function) {
            this.function = function;
        }

        @Override
        public JsonNode evaluate(EvaluationScope scope) {
            return function.evaluate(scope);
        }
    }
}
