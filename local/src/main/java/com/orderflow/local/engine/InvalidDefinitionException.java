package com.orderflow.local.engine;

import java.util.List;

/** The definition is not valid ASL; the message reads like AWS's {@code InvalidDefinition} message. */
public class InvalidDefinitionException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * One problem as ValidateStateMachineDefinition lists it.
     *
     * @param location the JSON pointer of the offending node ({@code /} for the root), or {@code null} when the
     *                 problem has no place (the text is not JSON)
     */
    public record Diagnostic(String code, String message, String location) {
    }

    private final transient List<Diagnostic> diagnostics;

    public InvalidDefinitionException(String message) {
        this(message, List.of());
    }

    public InvalidDefinitionException(String message, List<Diagnostic> diagnostics) {
        super(message);
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** Every problem found, in the order found; the message prints the same ones. */
    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
