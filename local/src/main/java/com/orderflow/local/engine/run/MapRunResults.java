package com.orderflow.local.engine.run;

import com.orderflow.local.engine.ExecutionOutcome;
import com.orderflow.local.engine.ObjectStore;
import com.orderflow.local.engine.definition.State;
import com.orderflow.local.engine.expr.JsonText;
import com.orderflow.local.engine.expr.StateFailure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A Map Run's results: the state's output array, or with a ResultWriter the files AWS writes under
 * {@code Prefix/<map run id>/} (SUCCEEDED_0.json, FAILED_0.json, manifest.json) and the manifest's address.
 */
final class MapRunResults {

    static final String WRITER_FAILED = "States.ResultWriterFailed";

    /** One child as it ended. */
    record Ended(String executionArn, String name, String stateMachineArn, JsonNode input, ExecutionOutcome outcome,
                 Instant startDate, Instant stopDate, int redriveCount) {
    }

    private MapRunResults() {
    }

    /** The children's outputs in item order; a tolerated failure's place holds its Error and Cause. */
    static ArrayNode outputs(Ended[] ended) {
        ArrayNode output = JsonText.NODES.arrayNode(ended.length);
        for (Ended e : ended) {
            if (e == null) {
                output.addNull();
            } else if (e.outcome() instanceof ExecutionOutcome.Succeeded s) {
                output.add(s.output());
            } else {
                output.add(errorOf(e.outcome(), JsonText.NODES.objectNode()));
            }
        }
        return output;
    }

    /** Writes the result files and the manifest; returns the state's result, naming the manifest. */
    static JsonNode write(State.ResultWriter writer, String mapRunArn, Ended[] ended, JsonNode effective,
                          StateScope scope, ObjectStore objects) {
        JsonNode parameters = writer.parameters() == null ? JsonText.NODES.objectNode()
                : writer.parameters().evaluate(scope.on(effective));
        String bucket = parameters.path("Bucket").asText(null);
        if (bucket == null) {
            throw new StateFailure(WRITER_FAILED, "The ResultWriter's Parameters have no Bucket");
        }
        String prefix = parameters.path("Prefix").asText("");
        String folder = (prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/")
                + mapRunArn.substring(mapRunArn.lastIndexOf(':') + 1) + "/";
        ArrayNode succeeded = JsonText.NODES.arrayNode();
        ArrayNode failed = JsonText.NODES.arrayNode();
        for (Ended e : ended) {
            if (e != null) {
                (e.outcome() instanceof ExecutionOutcome.Succeeded ? succeeded : failed).add(entry(e));
            }
        }
        ObjectNode manifest = JsonText.NODES.objectNode();
        manifest.put("DestinationBucket", bucket);
        manifest.put("MapRunArn", mapRunArn);
        ObjectNode files = manifest.putObject("ResultFiles");
        try {
            files.set("FAILED", writeFile(objects, bucket, folder + "FAILED_0.json", failed));
            files.putArray("PENDING");
            files.set("SUCCEEDED", writeFile(objects, bucket, folder + "SUCCEEDED_0.json", succeeded));
            objects.put(bucket, folder + "manifest.json", JsonText.write(manifest).getBytes(StandardCharsets.UTF_8));
        } catch (IllegalStateException e) {
            throw new StateFailure(WRITER_FAILED, e.getMessage());
        }
        ObjectNode result = JsonText.NODES.objectNode();
        result.put("MapRunArn", mapRunArn);
        result.putObject("ResultWriterDetails").put("Bucket", bucket).put("Key", folder + "manifest.json");
        return result;
    }

    /** A result file when there is something to put in it: the manifest lists it with its key and size. */
    private static ArrayNode writeFile(ObjectStore objects, String bucket, String key, ArrayNode entries) {
        ArrayNode listed = JsonText.NODES.arrayNode();
        if (!entries.isEmpty()) {
            byte[] body = JsonText.write(entries).getBytes(StandardCharsets.UTF_8);
            objects.put(bucket, key, body);
            listed.addObject().put("Key", key).put("Size", body.length);
        }
        return listed;
    }

    private static ObjectNode entry(Ended e) {
        ObjectNode entry = JsonText.NODES.objectNode();
        entry.put("ExecutionArn", e.executionArn());
        entry.put("Input", JsonText.write(e.input()));
        entry.putObject("InputDetails").put("Included", true);
        entry.put("Name", e.name());
        if (e.outcome() instanceof ExecutionOutcome.Succeeded s) {
            entry.put("Output", JsonText.write(s.output()));
            entry.putObject("OutputDetails").put("Included", true);
        } else {
            errorOf(e.outcome(), entry);
        }
        entry.put("RedriveCount", e.redriveCount());
        if (e.outcome() instanceof ExecutionOutcome.Succeeded) {
            entry.put("RedriveStatus", "NOT_REDRIVABLE");
            entry.put("RedriveStatusReason", "Execution is SUCCEEDED and cannot be redriven");
        } else {
            entry.put("RedriveStatus", "REDRIVABLE"); // by a redrive of the parent, which redrives the Map Run
        }
        entry.put("StartDate", e.startDate().toString());
        entry.put("StateMachineArn", e.stateMachineArn());
        entry.put("Status", e.outcome().status().name());
        entry.put("StopDate", e.stopDate().toString());
        return entry;
    }

    private static ObjectNode errorOf(ExecutionOutcome outcome, ObjectNode into) {
        String error = null;
        String cause = null;
        switch (outcome) {
            case ExecutionOutcome.Failed f -> {
                error = f.error();
                cause = f.cause();
            }
            case ExecutionOutcome.TimedOut t -> {
                error = t.error();
                cause = t.cause();
            }
            case ExecutionOutcome.Aborted a -> {
                error = a.error();
                cause = a.cause();
            }
            case ExecutionOutcome.Succeeded s -> {
            }
        }
        if (error != null) {
            into.put("Error", error);
        }
        if (cause != null) {
            into.put("Cause", cause);
        }
        return into;
    }
}
