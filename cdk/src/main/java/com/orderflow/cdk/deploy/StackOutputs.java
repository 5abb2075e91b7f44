package com.orderflow.cdk.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.TemplateStage;

/**
 * A settled stack's outputs by key. Some CloudFormation emulators answer none after a change set (stock moto 5.2: its outputs are
 * resolved only on CreateStack), so on an endpoint that is not AWS's, a stack that answers none has its outputs
 * worked out from its template: literal values as written, {@code Ref}s as the resources' physical ids.
 */
final class StackOutputs {

    /** Statuses in which the stack's resources are those its template describes. */
    private static final Set<String> SETTLED = Set.of("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE");

    private StackOutputs() {
    }

    static Map<String, String> of(Stack stack, CloudFormationClient cloudFormation, ServiceEndpoints endpoints, PrintStream out) {
        var outputs = new LinkedHashMap<String, String>();
        stack.outputs().forEach(o -> outputs.put(o.outputKey(), o.outputValue()));
        if (!outputs.isEmpty() || endpoints.cloudFormationIsAws() || !SETTLED.contains(stack.stackStatusAsString())) {
            return outputs;
        }
        var physicalIds = new LinkedHashMap<String, String>();
        cloudFormation.describeStackResources(b -> b.stackName(stack.stackId())).stackResources()
                .forEach(r -> physicalIds.put(r.logicalResourceId(), r.physicalResourceId()));
        var body = cloudFormation.getTemplate(b -> b.stackName(stack.stackId()).templateStage(TemplateStage.ORIGINAL))
                .templateBody();
        try {
            for (var output : CloudAssembly.JSON.readTree(body).path("Outputs").properties()) {
                var value = output.getValue().path("Value");
                var resolved = value.isTextual() ? value.asText() : physicalIds.get(value.path("Ref").asText(null));
                if (resolved != null) {
                    outputs.put(output.getKey(), resolved);
                }
            }
        } catch (JsonProcessingException e) {
            throw new DeployException("Stack " + stack.stackName() + "'s template, as CloudFormation at "
                    + endpoints.cloudFormation() + " returns it, is not JSON: " + e.getOriginalMessage());
        }
        out.println("  (CloudFormation at " + endpoints.cloudFormation() + " answered no outputs for " + stack.stackName()
                + ": read from its template and resources instead)");
        return outputs;
    }
}
