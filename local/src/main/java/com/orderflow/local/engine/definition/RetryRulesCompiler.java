package com.orderflow.local.engine.definition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.expr.AslPath;
import com.orderflow.local.engine.expr.StateFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compiles the Retry and Catch rules of Task, Parallel and Map states. */
final class RetryRulesCompiler {

    private final DefinitionReader reader;

    RetryRulesCompiler(DefinitionReader reader) {
        this.reader = reader;
    }

    List<State.Retrier> retriers(ObjectNode s, String ptr) {
        JsonNode retry = s.get("Retry");
        if (retry == null) {
            return List.of();
        }
        if (!(retry instanceof ArrayNode array)) {
            reader.error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Retry' must be an ARRAY", ptr + "/Retry");
            return List.of();
        }
        List<State.Retrier> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String rptr = ptr + "/Retry/" + i;
            if (!(array.get(i) instanceof ObjectNode r)) {
                reader.error("SCHEMA_VALIDATION_FAILED", "A retrier must be an OBJECT", rptr);
                continue;
            }
            reader.unknownFields(r, Set.of("ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds",
                    "JitterStrategy", "Comment"), rptr);
            List<String> errorsEquals = errorEquals(r, rptr, i == array.size() - 1, "retrier");
            double interval = 1;
            int maxAttempts = 3;
            double backoff = 2.0;
            Double maxDelay = null;
            boolean jitter = false;
            if (r.has("IntervalSeconds")) {
                Integer v = reader.positiveInt(r.get("IntervalSeconds"), "IntervalSeconds", rptr, false);
                interval = v == null ? 1 : v;
            }
            if (r.has("MaxAttempts")) {
                Integer v = reader.positiveInt(r.get("MaxAttempts"), "MaxAttempts", rptr, true);
                maxAttempts = v == null ? 3 : v;
            }
            if (r.has("BackoffRate")) {
                JsonNode b = r.get("BackoffRate");
                if (!b.isNumber() || b.asDouble() < 1.0) {
                    reader.error("SCHEMA_VALIDATION_FAILED", "The value for the field 'BackoffRate' must be a NUMBER "
                            + "greater than or equal to 1.0", rptr + "/BackoffRate");
                } else {
                    backoff = b.asDouble();
                }
            }
            if (r.has("MaxDelaySeconds")) {
                Integer v = reader.positiveInt(r.get("MaxDelaySeconds"), "MaxDelaySeconds", rptr, false);
                maxDelay = v == null ? null : v.doubleValue();
            }
            if (r.has("JitterStrategy")) {
                String j = r.get("JitterStrategy").asText();
                if (!j.equals("FULL") && !j.equals("NONE")) {
                    reader.error("SCHEMA_VALIDATION_FAILED", "The value for the field 'JitterStrategy' must be one of "
                            + "[FULL, NONE]", rptr + "/JitterStrategy");
                }
                jitter = j.equals("FULL");
            }
            out.add(new State.Retrier(errorsEquals, interval, maxAttempts, backoff, maxDelay, jitter));
        }
        return List.copyOf(out);
    }

    List<State.Catcher> catchers(ObjectNode s, String ptr) {
        JsonNode c = s.get("Catch");
        if (c == null) {
            return List.of();
        }
        if (!(c instanceof ArrayNode array)) {
            reader.error("SCHEMA_VALIDATION_FAILED", "The value for the field 'Catch' must be an ARRAY", ptr + "/Catch");
            return List.of();
        }
        List<State.Catcher> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String cptr = ptr + "/Catch/" + i;
            if (!(array.get(i) instanceof ObjectNode r)) {
                reader.error("SCHEMA_VALIDATION_FAILED", "A catcher must be an OBJECT", cptr);
                continue;
            }
            reader.unknownFields(r, Set.of("ErrorEquals", "ResultPath", "Next", "Comment", "Assign"), cptr);
            List<String> errorsEquals = errorEquals(r, cptr, i == array.size() - 1, "catcher");
            JsonNode next = r.get("Next");
            if (next == null || !next.isTextual()) {
                reader.error("SCHEMA_VALIDATION_FAILED", "These fields are required: [Next]", cptr);
            }
            AslPath resultPath = reader.optionalPath(r, "ResultPath", cptr, true);
            out.add(new State.Catcher(errorsEquals, resultPath, next == null ? null : next.asText(), reader.assign(r, cptr)));
        }
        return List.copyOf(out);
    }

    List<String> errorEquals(ObjectNode r, String ptr, boolean last, String what) {
        JsonNode ee = r.get("ErrorEquals");
        if (!(ee instanceof ArrayNode array) || array.isEmpty()) {
            reader.error("SCHEMA_VALIDATION_FAILED", "These fields are required: [ErrorEquals]", ptr);
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : array) {
            if (!e.isTextual()) {
                reader.error("SCHEMA_VALIDATION_FAILED", "The values of 'ErrorEquals' must be STRINGs", ptr + "/ErrorEquals");
                continue;
            }
            out.add(e.textValue());
        }
        if (out.contains(StateFailure.ALL)) {
            if (out.size() > 1) {
                reader.error("SCHEMA_VALIDATION_FAILED", "'States.ALL' must appear alone in 'ErrorEquals'",
                        ptr + "/ErrorEquals");
            } else if (!last) {
                reader.error("SCHEMA_VALIDATION_FAILED", "A " + what + " with 'States.ALL' must be the last " + what,
                        ptr + "/ErrorEquals");
            }
        }
        return List.copyOf(out);
    }
}
