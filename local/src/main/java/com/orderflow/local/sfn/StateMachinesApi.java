package com.orderflow.local.sfn;

import static com.orderflow.local.sfn.ApiJson.epochSeconds;
import static com.orderflow.local.sfn.ApiJson.object;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.local.engine.InvalidDefinitionException.Diagnostic;
import com.orderflow.local.sfn.StateMachine.StateMachineType;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The operations on state machines themselves: create, describe (the latest revision or a version), list, update,
 * delete, validate a definition, and tags.
 */
final class StateMachinesApi {

    private final StatesArns arns;
    private final StateMachineRegistry stateMachines;
    private final StateMachineVersions versions;
    private final ResourceTags tags;
    private final DefinitionCheck check;
    /** Whether an ARN names an activity that exists: activities have tags too. */
    private final Predicate<String> activityExists;

    StateMachinesApi(StateMachineRegistry stateMachines, StateMachineVersions versions, ResourceTags tags,
                     DefinitionCheck check, Predicate<String> activityExists) {
        this.activityExists = activityExists;
        this.arns = stateMachines.arns();
        this.stateMachines = stateMachines;
        this.versions = versions;
        this.tags = tags;
        this.check = check;
    }

    ObjectNode create(ActionRequest request) {
        var name = request.requiredString("name");
        var definition = request.requiredString("definition");
        var roleArn = request.requiredString("roleArn");
        var type = type(request.string("type"), "type");
        var newTags = tagList(request.body().get("tags"));
        boolean publish = request.bool("publish", false);
        var versionDescription = versionDescription(request, publish);
        var sm = stateMachines.create(name, definition, roleArn, type);
        tags.tag(sm.arn(), newTags);
        var response = object();
        response.put("stateMachineArn", sm.arn());
        response.set("creationDate", epochSeconds(sm.creationDate()));
        if (publish) {
            response.put("stateMachineVersionArn", versions.publish(sm, versionDescription).arn());
        }
        return response;
    }

    /** The latest revision by the state machine's ARN, or a published version by the version's. */
    ObjectNode describe(ActionRequest request) {
        var arn = request.requiredString("stateMachineArn");
        var qualified = arns.qualified(arn);
        if (qualified.isAlias()) {
            throw StepFunctionsException.invalidArn(arn);
        }
        if (qualified.isVersion()) {
            var version = versions.version(arn).orElseThrow(() -> StepFunctionsException.stateMachineDoesNotExist(arn));
            var sm = stateMachines.atRevision(version.revision())
                    .orElseThrow(() -> StepFunctionsException.stateMachineDoesNotExist(arn));
            var response = described(sm, version.arn());
            response.set("creationDate", epochSeconds(version.creationDate()));
            if (version.description() != null) {
                response.put("description", version.description());
            }
            return response;
        }
        return described(stateMachines.describe(arn), arn);
    }

    private static ObjectNode described(StateMachine sm, String arn) {
        var response = object();
        response.put("stateMachineArn", arn);
        response.put("name", sm.name());
        response.put("status", "ACTIVE");
        response.put("definition", sm.definition().json());
        response.put("roleArn", sm.roleArn());
        response.put("type", sm.type().name());
        response.set("creationDate", epochSeconds(sm.creationDate()));
        var logging = response.putObject("loggingConfiguration");
        logging.put("level", "OFF");
        logging.put("includeExecutionData", false);
        response.putObject("tracingConfiguration").put("enabled", false);
        response.put("revisionId", Long.toString(sm.revision()));
        return response;
    }

    ObjectNode list(ActionRequest request) {
        var page = NextTokens.page(stateMachines.list(), StateMachine::name, "ListStateMachines",
                request.string("nextToken"), request.maxResults());
        var response = object();
        var items = response.putArray("stateMachines");
        for (var sm : page.items()) {
            var item = items.addObject();
            item.put("stateMachineArn", sm.arn());
            item.put("name", sm.name());
            item.put("type", sm.type().name());
            item.set("creationDate", epochSeconds(sm.creationDate()));
        }
        if (page.nextToken() != null) {
            response.put("nextToken", page.nextToken());
        }
        return response;
    }

    /** Deletes the state machine with its versions, aliases and tags; a version ARN deletes that version only. */
    ObjectNode delete(ActionRequest request) {
        var arn = request.requiredString("stateMachineArn");
        var qualified = arns.qualified(arn);
        if (qualified.isVersion()) {
            versions.deleteVersion(arn);
            return object();
        }
        if (qualified.isAlias()) {
            throw StepFunctionsException.invalidArn(arn);
        }
        stateMachines.delete(arn);
        versions.deleteAll(arn);
        tags.drop(arn);
        return object();
    }

    ObjectNode update(ActionRequest request) {
        var arn = request.requiredString("stateMachineArn");
        boolean publish = request.bool("publish", false);
        var versionDescription = versionDescription(request, publish);
        var sm = stateMachines.update(arn, request.string("definition"), request.string("roleArn"));
        var response = object();
        response.set("updateDate", epochSeconds(sm.updateDate()));
        response.put("revisionId", Long.toString(sm.revision()));
        if (publish) {
            response.put("stateMachineVersionArn", versions.publish(sm, versionDescription).arn());
        }
        return response;
    }

    /** AWS's shape: {@code result} OK or FAIL, the diagnostics (ERROR only here: no warning is given), truncated. */
    ObjectNode validate(ActionRequest request) {
        var definition = request.requiredString("definition");
        type(request.string("type"), "type");
        var severity = request.string("severity");
        if (severity != null && !severity.equals("ERROR") && !severity.equals("WARNING")) {
            throw enumValue(severity, "severity", "[ERROR, WARNING]");
        }
        int max = request.maxResults();
        if (max > 100) {
            throw StepFunctionsException.validation("1 validation error detected: Value '" + max
                    + "' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100");
        }
        List<Diagnostic> found = check.diagnose(definition);
        var response = object();
        response.put("result", found.isEmpty() ? "OK" : "FAIL");
        var items = response.putArray("diagnostics");
        for (Diagnostic d : found.subList(0, Math.min(max, found.size()))) {
            var item = items.addObject().put("severity", "ERROR").put("code", d.code()).put("message", d.message());
            if (d.location() != null) {
                item.put("location", d.location());
            }
        }
        response.put("truncated", found.size() > max);
        return response;
    }

    ObjectNode tagResource(ActionRequest request) {
        var arn = taggable(request.requiredString("resourceArn"));
        var newTags = tagList(request.body().get("tags"));
        if (request.body().get("tags") == null) {
            throw StepFunctionsException.validation("1 validation error detected: Value null at 'tags' failed to "
                    + "satisfy constraint: Member must not be null");
        }
        tags.tag(arn, newTags);
        return object();
    }

    ObjectNode untagResource(ActionRequest request) {
        var arn = taggable(request.requiredString("resourceArn"));
        var keys = request.body().get("tagKeys");
        if (keys == null || !keys.isArray()) {
            throw StepFunctionsException.validation("1 validation error detected: Value null at 'tagKeys' failed to "
                    + "satisfy constraint: Member must not be null");
        }
        Set<String> removed = new LinkedHashSet<>();
        keys.forEach(k -> removed.add(k.asText()));
        tags.untag(arn, removed);
        return object();
    }

    ObjectNode listTagsForResource(ActionRequest request) {
        var arn = taggable(request.requiredString("resourceArn"));
        var response = object();
        var items = response.putArray("tags");
        tags.listed(arn).forEach(e -> items.addObject().put("key", e.getKey()).put("value", e.getValue()));
        return response;
    }

    /** A state machine or an activity that exists: tags belong to those. */
    private String taggable(String arn) {
        if (activityExists.test(arn)) {
            return arn;
        }
        var qualified = arns.qualified(arn);
        if (qualified.qualifier() != null || stateMachines.find(arn).isEmpty()) {
            throw StateMachineVersions.resourceNotFound("Resource", arn);
        }
        return arn;
    }

    static Map<String, String> tagList(JsonNode list) {
        var tags = new LinkedHashMap<String, String>();
        if (list == null || list.isNull()) {
            return tags;
        }
        if (!list.isArray()) {
            throw new StepFunctionsException("SerializationException", "'tags' must be a list of {key, value}");
        }
        for (JsonNode tag : list) {
            var key = tag.path("key").asText("");
            var value = tag.path("value").asText("");
            if (key.isEmpty() || key.length() > 128 || value.length() > 256) {
                throw StepFunctionsException.validation("1 validation error detected: a tag key must be 1 to 128 "
                        + "characters and a value at most 256: '" + key + "'");
            }
            tags.put(key, value);
        }
        return tags;
    }

    private static String versionDescription(ActionRequest request, boolean publish) {
        var description = request.string("versionDescription", 256);
        if (description != null && !publish) {
            throw StepFunctionsException.validation("Version description can only be set when publish is true");
        }
        return description;
    }

    static StateMachineType type(String value, String member) {
        if (value == null) {
            return StateMachineType.STANDARD;
        }
        try {
            return StateMachineType.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw enumValue(value, member, "[STANDARD, EXPRESS]");
        }
    }

    private static StepFunctionsException enumValue(String value, String member, String allowed) {
        return StepFunctionsException.validation("1 validation error detected: Value '" + value + "' at '" + member
                + "' failed to satisfy constraint: Member must satisfy enum value set: " + allowed);
    }
}
