package com.orderflow.local.sfn;

import com.fasterxml.jackson.databind.JsonNode;

/** Typed access to one JSON request body, with AWS's validation errors for missing or mistyped members. */
record ActionRequest(JsonNode body) {

    ActionRequest {
        if (body == null || !body.isObject()) {
            throw new StepFunctionsException("SerializationException", "The request body must be a JSON object");
        }
    }

    String string(String member) {
        var node = body.get(member);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw serialization(member, "a string");
        }
        return node.asText();
    }

    String requiredString(String member) {
        var value = string(member);
        if (value == null) {
            throw StepFunctionsException.validation("1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return value;
    }

    boolean bool(String member, boolean otherwise) {
        var node = body.get(member);
        if (node == null || node.isNull()) {
            return otherwise;
        }
        if (!node.isBoolean()) {
            throw serialization(member, "a boolean");
        }
        return node.asBoolean();
    }

    /** {@code maxResults}: 0 or absent means the default page size; at most 1000. */
    int maxResults() {
        var node = body.get("maxResults");
        if (node == null || node.isNull()) {
            return 100;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw serialization("maxResults", "an integer");
        }
        int value = node.asInt();
        if (value < 0 || value > 1000) {
            throw StepFunctionsException.validation("1 validation error detected: Value '" + value
                    + "' at 'maxResults' failed to satisfy constraint: Member must have value "
                    + (value < 0 ? "greater than or equal to 0" : "less than or equal to 1000"));
        }
        return value == 0 ? 100 : value;
    }

    /** A string member no longer than {@code max} characters, as AWS's length constraints read. */
    String string(String member, int max) {
        var value = string(member);
        if (value != null && value.length() > max) {
            throw StepFunctionsException.validation("1 validation error detected: Value at '" + member
                    + "' failed to satisfy constraint: Member must have length less than or equal to " + max);
        }
        return value;
    }

    private static StepFunctionsException serialization(String member, String expected) {
        return new StepFunctionsException("SerializationException", "'" + member + "' must be " + expected);
    }
}
