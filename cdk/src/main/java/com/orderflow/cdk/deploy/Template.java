package com.orderflow.cdk.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The parts of a CloudFormation template the deployer reports on: resources by type, and what a delete keeps.
 *
 * @param resources every resource, in template order
 */
public record Template(List<Resource> resources) {

    /**
     * One resource of the template.
     *
     * @param logicalId      its logical id
     * @param type           e.g. {@code AWS::S3::Bucket}
     * @param deletionPolicy {@code Delete} (CloudFormation's default), {@code Retain}, {@code RetainExceptOnCreate}
     *                       or {@code Snapshot}
     */
    public record Resource(String logicalId, String type, String deletionPolicy) {

        /** Whether deleting the stack leaves this resource (and its data) in the account. */
        public boolean retainedOnDelete() {
            return deletionPolicy.startsWith("Retain");
        }
    }

    public static Template read(Path file) {
        return parse(CloudAssembly.readJson(file));
    }

    public static Template parse(String json) {
        try {
            return parse(CloudAssembly.JSON.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DeployException("The stack's template is not JSON: " + e.getOriginalMessage());
        }
    }

    static Template parse(JsonNode template) {
        var resources = new ArrayList<Resource>();
        for (Map.Entry<String, JsonNode> entry : template.path("Resources").properties()) {
            var node = entry.getValue();
            resources.add(new Resource(entry.getKey(), node.path("Type").asText(),
                    node.path("DeletionPolicy").asText("Delete")));
        }
        return new Template(List.copyOf(resources));
    }

    /** Resource count per type, sorted by type name. */
    public SortedMap<String, Integer> countByType() {
        var counts = new TreeMap<String, Integer>();
        resources.forEach(r -> counts.merge(r.type(), 1, Integer::sum));
        return counts;
    }

    /** The resources a stack delete leaves behind. */
    public List<Resource> retained() {
        return resources.stream().filter(Resource::retainedOnDelete).toList();
    }
}
