package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.InvalidDefinitionException.Diagnostic;
import java.util.ArrayList;
import java.util.List;

/**
 * The problems found in one definition, in the order they were found, each printed
 * {@code CODE: message at /pointer} as AWS's InvalidDefinition message lists them.
 */
final class Diagnostics {

    /** The diagnostic codes of ValidateStateMachineDefinition that this engine gives. */
    enum Code {
        SCHEMA_VALIDATION_FAILED, MISSING_TRANSITION_TARGET, DUPLICATE_STATE_NAME, INVALID_RESOURCE, MISSING_END_STATE,
        INVALID_JSONATA_EXPRESSION
    }

    private final List<Diagnostic> problems = new ArrayList<>();

    /** A SCHEMA_VALIDATION_FAILED problem, by far the commonest kind. */
    void schema(String message, Site site) {
        report(Code.SCHEMA_VALIDATION_FAILED, message, site);
    }

    void report(Code code, String message, Site site) {
        add(code, message, site.location());
    }

    /**
     * A SCHEMA_VALIDATION_FAILED problem that a compiler of the expr package found somewhere inside the node and
     * located with a pointer of its own, relative to the node ({@code ""}, {@code /a} or {@code [2]}).
     */
    void schemaWithin(String message, Site site, String relativePointer) {
        within(Code.SCHEMA_VALIDATION_FAILED, message, site, relativePointer);
    }

    /** A problem found inside the node, at a pointer relative to it. */
    void within(Code code, String message, Site site, String relativePointer) {
        add(code, message, site.pointer() + relativePointer);
    }

    private void add(Code code, String message, String pointer) {
        problems.add(new Diagnostic(code.name(), message, pointer));
    }

    int count() {
        return problems.size();
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    List<String> all() {
        return problems.stream().map(d -> d.code() + ": " + d.message() + " at " + d.location()).toList();
    }

    List<Diagnostic> found() {
        return List.copyOf(problems);
    }
}
