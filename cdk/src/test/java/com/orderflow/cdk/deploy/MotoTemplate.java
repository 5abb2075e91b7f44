package com.orderflow.cdk.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A synthesized template cut down to what moto 5.2's CloudFormation can create: resources of the types named in
 * {@link #UNMODELLED_TYPES} are taken out, with the few resources that cannot exist without them, and references
 * to them become the value AWS would give (an alias's ARN, a stage's name) or, where nothing reads it, the logical id.
 *
 * @param template  the template moto deploys
 * @param removed   logical id to type of every resource taken out
 */
record MotoTemplate(ObjectNode template, Map<String, String> removed) {

    /**
     * Resource types moto 5.2.1's CloudFormation cannot create: it has no model for them (it would mark the stack
     * complete without them, or fail on what refers to them), or, for a KMS key, its model fails on the key's Tags
     * (it reads them as TagKey/TagValue). The last five are not in today's template: the CodeDeploy traffic shifting
     * and the API usage plan of issue 18 bring them.
     */
    static final Set<String> UNMODELLED_TYPES = Set.of(
            "AWS::ApiGateway::Account", "AWS::ApiGateway::GatewayResponse", "AWS::ApiGateway::Model",
            "AWS::ApiGateway::RequestValidator", "AWS::ApiGateway::Stage", "AWS::CloudWatch::Alarm",
            "AWS::KMS::Key", "AWS::Lambda::Alias", "AWS::S3::BucketPolicy", "AWS::SNS::TopicPolicy",
            "AWS::WAFv2::LoggingConfiguration", "AWS::WAFv2::WebACL", "AWS::WAFv2::WebACLAssociation",
            "AWS::CodeDeploy::Application", "AWS::CodeDeploy::DeploymentGroup", "AWS::ApiGateway::UsagePlan",
            "AWS::ApiGateway::UsagePlanKey", "AWS::ApiGateway::ApiKey");

    private static final ObjectMapper JSON = new ObjectMapper();

    static MotoTemplate of(String templateJson) {
        ObjectNode template;
        try {
            template = (ObjectNode) JSON.readTree(templateJson);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        var resources = (ObjectNode) template.get("Resources");
        var removed = new LinkedHashMap<String, String>();
        var standIns = new LinkedHashMap<String, JsonNode>();
        for (var entry : resources.properties()) {
            var type = entry.getValue().path("Type").asText();
            if (UNMODELLED_TYPES.contains(type)) {
                removed.put(entry.getKey(), type);
                standIns.put(entry.getKey(), standIn(entry.getKey(), entry.getValue()));
            }
        }
        // a permission on an alias has nothing to attach to once the alias is gone
        for (var entry : resources.properties()) {
            var node = entry.getValue();
            if ("AWS::Lambda::Permission".equals(node.path("Type").asText())
                    && !referencedIds(node.path("Properties").path("FunctionName")).stream().filter(removed::containsKey).toList().isEmpty()) {
                removed.put(entry.getKey(), "AWS::Lambda::Permission");
                standIns.put(entry.getKey(), TextNode.valueOf(entry.getKey()));
            }
        }
        removed.keySet().forEach(resources::remove);
        for (var entry : resources.properties()) {
            var node = (ObjectNode) entry.getValue();
            dropDependsOn(node, removed.keySet());
            if (node.has("Properties")) {
                node.set("Properties", substitute(node.get("Properties"), standIns));
            }
        }
        if (template.has("Outputs")) {
            template.set("Outputs", substitute(template.get("Outputs"), standIns));
        }
        template.set("Resources", inDependencyOrder(resources));
        return new MotoTemplate(template, Map.copyOf(removed));
    }

    String json() {
        try {
            return JSON.writeValueAsString(template);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The unmodelled types this template used, sorted. */
    Set<String> removedTypes() {
        return new TreeSet<>(removed.values());
    }

    /** What {@code Ref} gives for a resource moto does not create, as AWS documents it where something reads it. */
    private static JsonNode standIn(String logicalId, JsonNode resource) {
        var properties = resource.path("Properties");
        return switch (resource.path("Type").asText()) {
            // Ref of an alias is its ARN: the function's ARN and the alias name
            case "AWS::Lambda::Alias" -> {
                var join = JsonNodeFactory.instance.objectNode();
                var parts = join.putArray("Fn::Join");
                parts.add("");
                var list = parts.addArray();
                var getAtt = list.addObject().putArray("Fn::GetAtt");
                getAtt.add(properties.path("FunctionName").path("Ref").asText());
                getAtt.add("Arn");
                list.add(":");
                list.add(properties.path("Name").asText());
                yield join;
            }
            case "AWS::ApiGateway::Stage" -> TextNode.valueOf(properties.path("StageName").asText(logicalId));
            default -> TextNode.valueOf(logicalId);
        };
    }

    private static JsonNode substitute(JsonNode node, Map<String, JsonNode> standIns) {
        if (node.isObject()) {
            if (node.size() == 1 && node.has("Ref") && standIns.containsKey(node.get("Ref").asText())) {
                return standIns.get(node.get("Ref").asText()).deepCopy();
            }
            if (node.size() == 1 && node.has("Fn::GetAtt")) {
                var target = getAttTarget(node.get("Fn::GetAtt"));
                if (standIns.containsKey(target)) {
                    return TextNode.valueOf(target);
                }
            }
            var copy = JsonNodeFactory.instance.objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), substitute(e.getValue(), standIns)));
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(substitute(element, standIns)));
            return copy;
        }
        return node;
    }

    private static String getAttTarget(JsonNode getAtt) {
        return getAtt.isArray() ? getAtt.path(0).asText() : getAtt.asText().split("\\.")[0];
    }

    private static List<String> referencedIds(JsonNode node) {
        var ids = new ArrayList<String>();
        if (node.isObject()) {
            if (node.has("Ref")) {
                ids.add(node.get("Ref").asText());
            }
            if (node.has("Fn::GetAtt")) {
                ids.add(getAttTarget(node.get("Fn::GetAtt")));
            }
            node.forEach(child -> ids.addAll(referencedIds(child)));
        } else if (node.isArray()) {
            node.forEach(child -> ids.addAll(referencedIds(child)));
        }
        return ids;
    }

    /**
     * The same resources, each after those it depends on: moto executes a change set in the template's key order,
     * ignoring DependsOn (an API deployment before its methods fails there). Key order means nothing to CloudFormation.
     */
    private static ObjectNode inDependencyOrder(ObjectNode resources) {
        var ordered = JsonNodeFactory.instance.objectNode();
        var visiting = new java.util.HashSet<String>();
        for (var id : fieldNames(resources)) {
            place(id, resources, ordered, visiting);
        }
        return ordered;
    }

    private static void place(String id, ObjectNode resources, ObjectNode ordered, Set<String> visiting) {
        if (ordered.has(id) || !resources.has(id) || !visiting.add(id)) {
            return;
        }
        var resource = resources.get(id);
        var dependencies = new ArrayList<>(referencedIds(resource.path("Properties")));
        resource.path("DependsOn").forEach(d -> dependencies.add(d.asText()));
        if (resource.path("DependsOn").isTextual()) {
            dependencies.add(resource.path("DependsOn").asText());
        }
        dependencies.forEach(d -> place(d, resources, ordered, visiting));
        ordered.set(id, resource);
    }

    private static List<String> fieldNames(JsonNode node) {
        var names = new ArrayList<String>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void dropDependsOn(ObjectNode resource, Set<String> removed) {
        var dependsOn = resource.get("DependsOn");
        if (dependsOn == null) {
            return;
        }
        if (dependsOn.isTextual()) {
            if (removed.contains(dependsOn.asText())) {
                resource.remove("DependsOn");
            }
            return;
        }
        var kept = JsonNodeFactory.instance.arrayNode();
        ((ArrayNode) dependsOn).forEach(d -> {
            if (!removed.contains(d.asText())) {
                kept.add(d);
            }
        });
        resource.set("DependsOn", kept);
    }
}
