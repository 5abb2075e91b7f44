package com.orderflow.local.engine.run;

import com.orderflow.local.engine.expr.AslPath;
import com.orderflow.local.engine.expr.StateFailure;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/** What a Task state's Resource names, and the path-given numbers a Task reads (TimeoutSecondsPath and the like). */
final class TaskResource {

    private static final Pattern LAMBDA_FUNCTION_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:lambda:[^:]*:[^:]*:function:.+");

    private static final Pattern ACTIVITY_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:states:[^:]+:[^:]+:activity:[^:]+");

    private TaskResource() {
    }

    /** A Lambda function ARN (history as LambdaFunction* events) rather than a service integration. */
    static boolean isLambdaFunction(String resource) {
        return LAMBDA_FUNCTION_ARN.matcher(resource).matches();
    }

    /** An activity ARN: workers take its tasks with GetActivityTask. */
    static boolean isActivity(String resource) {
        return ACTIVITY_ARN.matcher(resource).matches();
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

    static String[] serviceOf(String resource) {
        // arn:aws:states:::lambda:invoke -> resourceType "lambda", resource "invoke"
        String[] parts = resource.split(":", 7);
        if (parts.length >= 6 && parts[2].equals("states") && parts[3].isEmpty() && parts[4].isEmpty()) {
            return new String[] {parts[5], parts.length == 7 ? parts[6] : ""};
        }
        if (parts.length >= 6 && parts[5].equals("activity")) {
            return new String[] {"activity", resource};
        }
        return new String[] {parts.length > 2 ? parts[2] : "unknown", resource};
    }

    static String regionOf(String arn) {
        if (arn != null) {
            String[] parts = arn.split(":");
            if (parts.length > 3 && !parts[3].isEmpty()) {
                return parts[3];
            }
        }
        return "us-east-1";
    }
}
