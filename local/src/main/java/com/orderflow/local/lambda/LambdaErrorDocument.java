package com.orderflow.local.lambda;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;

/**
 * The JSON the Java Lambda runtime reports for an uncaught exception, which Step Functions puts in a
 * failed task's Cause: {@code {"errorMessage", "errorType", "stackTrace": [...], "cause": {...}}},
 * with {@code errorType} the exception's class name (that is also the task's Error).
 */
final class LambdaErrorDocument {

    /** Deep cause chains are cut here, so a cyclic or runaway chain cannot grow the document without bound. */
    private static final int MAX_CAUSE_DEPTH = 8;

    /** The frame that called the handler: it and everything below it are the local runtime's. */
    private static final String LOCAL_RUNTIME = LocalFunction.class.getName();

    private LambdaErrorDocument() {
    }

    static String errorType(Throwable t) {
        return t.getClass().getName();
    }

    static ObjectNode of(Throwable t) {
        return of(t, 0);
    }

    private static ObjectNode of(Throwable t, int depth) {
        var json = Json.mapper().createObjectNode();
        // the runtime falls back to the class name when the exception has no message
        json.put("errorMessage", t.getLocalizedMessage() == null ? t.getClass().getName() : t.getLocalizedMessage());
        json.put("errorType", errorType(t));
        var trace = json.putArray("stackTrace");
        for (var frame : t.getStackTrace()) {
            if (frame.getClassName().equals(LOCAL_RUNTIME)) {
                break; // like the Lambda runtime, which drops its own frames below the handler's
            }
            trace.add(frame.getClassName() + "." + frame.getMethodName() + "("
                    + (frame.getFileName() == null ? "Unknown Source" : frame.getFileName())
                    + (frame.getLineNumber() >= 0 ? ":" + frame.getLineNumber() : "") + ")");
        }
        var cause = t.getCause();
        if (cause != null && cause != t && depth < MAX_CAUSE_DEPTH) {
            json.set("cause", of(cause, depth + 1));
        }
        return json;
    }
}
