package com.orderflow.local.engine.definition;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which fields a state may have: those of every state, those of its type in any query language, and those of
 * its type in its own query language only ({@link QueryLanguage#ownFields}).
 */
final class StateFields {

    private static final Set<String> EVERY_STATE = Set.of("Type", "Comment", "QueryLanguage");
    private static final Map<String, Set<String>> ANY_LANGUAGE = Map.of(
            "Pass", Set.of("Assign", "Next", "End"),
            "Task", Set.of("Assign", "Next", "End", "Resource", "TimeoutSeconds", "HeartbeatSeconds", "Retry", "Catch",
                    "Credentials"),
            "Choice", Set.of("Assign", "Choices", "Default"),
            "Wait", Set.of("Assign", "Next", "End", "Seconds", "Timestamp"),
            "Succeed", Set.of(),
            "Fail", Set.of("Error", "Cause"),
            "Parallel", Set.of("Assign", "Next", "End", "Branches", "Retry", "Catch"),
            "Map", Set.of("Assign", "Next", "End", "ItemSelector", "Iterator", "ItemProcessor", "MaxConcurrency",
                    "Retry", "Catch", "Label", "ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailurePercentage",
                    "ToleratedFailureCount"));

    /** The state types, in the order a diagnostic lists them. */
    static final List<String> TYPES = ANY_LANGUAGE.keySet().stream().sorted().toList();

    private StateFields() {
    }

    static boolean isType(String type) {
        return ANY_LANGUAGE.containsKey(type);
    }

    /** Every field a {@code type} state written in {@code language} may have. */
    static Set<String> allowed(String type, QueryLanguage language) {
        Set<String> allowed = new HashSet<>(EVERY_STATE);
        allowed.addAll(ANY_LANGUAGE.get(type));
        allowed.addAll(language.ownFields(type));
        return Set.copyOf(allowed);
    }
}
