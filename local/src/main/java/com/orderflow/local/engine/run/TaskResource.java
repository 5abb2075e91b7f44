package com.orderflow.local.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.aws.Arn;
import com.orderflow.local.engine.expr.AslPath;
import com.orderflow.local.engine.expr.StateFailure;

/** What a Task state's Resource names, and the path-given numbers a Task reads (TimeoutSecondsPath and the like). */
final class TaskResource {

    private TaskResource() {
    }

    /** A Lambda function ARN (history as LambdaFunction* events) rather than a service integration. */
    static boolean isLambdaFunction(String resource) {
        return Arn.parse(resource).filter(arn -> arn.service().equals("lambda") && arn.resourceType().equals("function")
                && arn.resourceParts().size() > 1).isPresent();
    }

    /** An activity ARN: workers take its tasks with GetActivityTask. */
    static boolean isActivity(String resource) {
        return Arn.parse(resource).filter(arn -> arn.is("states", "activity", 2) && !arn.region().isEmpty()
                && !arn.account().isEmpty() && !arn.resourceParts().get(1).isEmpty()).isPresent();
    }

    static Integer positive(AslPath path, JsonNode effective, String field) {
        JsonNode v = path.read(effective);
        if (v == null) {
            throw StateFailure.engine(StateFailure.RUNTIME, "Invalid path '" + path.text() + "' : "
                    + path.whyMissing(effective));
        }
        if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > 99999999) {
            throw StateFailure.engine(StateFailure.RUNTIME, "Invalid path '" + path.text() + "' : The " + field
                    + " parameter does not reference a valid positive integer value.");
        }
        return v.asInt();
    }

    /**
     * The resource type and resource a Task's history events name: {@code arn:aws:states:::lambda:invoke} is
     * {@code lambda} and {@code invoke}; an SDK integration {@code arn:aws:states:::aws-sdk:s3:getObject} is
     * {@code aws-sdk:s3} and {@code getObject}; an activity is {@code activity} and its ARN; any other ARN its service
     * and itself.
     */
    static String[] serviceOf(String resource) {
        var arn = Arn.parse(resource);
        if (arn.isEmpty()) {
            return new String[] {"unknown", resource};
        }
        var a = arn.get();
        if (a.service().equals("states") && a.region().isEmpty() && a.account().isEmpty()) {
            var parts = a.resource().split(":", a.resource().startsWith("aws-sdk:") ? 3 : 2);
            if (parts.length == 3) {
                return new String[] {parts[0] + ":" + parts[1], parts[2]};
            }
            return new String[] {parts[0], parts.length == 2 ? parts[1] : ""};
        }
        if (a.resourceType().equals("activity")) {
            return new String[] {"activity", resource};
        }
        return new String[] {a.service(), resource};
    }

    static String regionOf(String arn) {
        return Arn.parse(arn).map(Arn::region).filter(r -> !r.isEmpty()).orElse("us-east-1");
    }
}
