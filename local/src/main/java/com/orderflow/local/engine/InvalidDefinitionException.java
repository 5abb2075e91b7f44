package com.orderflow.local.engine;

/** The definition is not valid ASL; the message reads like AWS's {@code InvalidDefinition} message. */
public class InvalidDefinitionException extends Exception {

    private static final long serialVersionUID = 1L;

    public InvalidDefinitionException(String message) {
        super(message);
    }
}
