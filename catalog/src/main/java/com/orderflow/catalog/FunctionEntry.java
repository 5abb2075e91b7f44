package com.orderflow.catalog;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One Lambda function of orderflow, as {@code functions.json} lists it.
 *
 * @param name           the name suffix: deployed as {@code orderflow-<stage>-<name>}
 * @param handler        the handler class, by name: readers that deploy it need not load it
 * @param aslPlaceholder the {@code ${...}} name the workflow definition uses for its ARN; null for a function the
 *                       workflow does not call (the API)
 * @param event          a sample event in {@code events/} it answers without calling AWS, or null
 * @param awsCallEvent   a sample event in {@code events/} whose answer calls AWS, or null
 * @param sampleNote     what those events do, for people reading figures (e.g. {@code S3 PutObject}), or null
 */
public record FunctionEntry(String name, String handler, String aslPlaceholder, String event, String awsCallEvent,
                            String sampleNote) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    public FunctionEntry {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("A function's name must be lowercase words joined by '-', not " + name);
        }
        if (handler == null || handler.isBlank()) {
            throw new IllegalArgumentException("Function " + name + " names no handler class");
        }
    }

    /** Whether the workflow calls it (its ARN fills a placeholder of the definition). */
    public boolean isWorkflowTask() {
        return aslPlaceholder != null;
    }

    public Optional<String> optionalEvent() {
        return Optional.ofNullable(event);
    }

    public Optional<String> optionalAwsCallEvent() {
        return Optional.ofNullable(awsCallEvent);
    }

    /** The name in PascalCase, e.g. {@code ValidateOrder}: CDK construct ids and figure tables use it. */
    public String pascalName() {
        var id = new StringBuilder();
        for (var part : name.split("-")) {
            id.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
        }
        return id.toString();
    }
}
