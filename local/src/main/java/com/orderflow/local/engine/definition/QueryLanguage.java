package com.orderflow.local.engine.definition;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A query language a definition or a state may declare, with the fields that only states written in it have
 * (the fields a state type has in every language are {@link StateFields}'s). Another language is another
 * constant with its own fields.
 */
enum QueryLanguage {

    /** Its own fields are those that take a path or a {@code .$} payload template. */
    JSONPATH("JSONPath", Map.of(
            "Pass", Set.of("InputPath", "OutputPath", "ResultPath", "Parameters", "Result"),
            "Task", Set.of("InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector",
                    "TimeoutSecondsPath", "HeartbeatSecondsPath"),
            "Choice", Set.of("InputPath", "OutputPath"),
            "Wait", Set.of("InputPath", "OutputPath", "SecondsPath", "TimestampPath"),
            "Succeed", Set.of("InputPath", "OutputPath"),
            "Fail", Set.of("ErrorPath", "CausePath"),
            "Parallel", Set.of("InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector"),
            "Map", Set.of("InputPath", "OutputPath", "ResultPath", "Parameters", "ResultSelector", "ItemsPath",
                    "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath"))),

    /** Its own fields are those that take a JSONata template over {@code $states}. */
    JSONATA("JSONata", Map.of(
            "Pass", Set.of("Output"),
            "Task", Set.of("Arguments", "Output"),
            "Choice", Set.of("Output"),
            "Wait", Set.of("Output"),
            "Succeed", Set.of("Output"),
            "Parallel", Set.of("Arguments", "Output"),
            "Map", Set.of("Items", "Output")));

    private final String declaredAs;
    private final Map<String, Set<String>> ownFields;

    QueryLanguage(String declaredAs, Map<String, Set<String>> ownFields) {
        this.declaredAs = declaredAs;
        this.ownFields = ownFields;
    }

    /** The language a {@code QueryLanguage} field's value names, if this engine has it. */
    static Optional<QueryLanguage> named(String declaredAs) {
        return Arrays.stream(values()).filter(language -> language.declaredAs.equals(declaredAs)).findFirst();
    }

    /** The name a definition gives the language. */
    String declaredAs() {
        return declaredAs;
    }

    /** The fields a state of {@code type} has only when written in this language. */
    Set<String> ownFields(String type) {
        return ownFields.getOrDefault(type, Set.of());
    }
}
