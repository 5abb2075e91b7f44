package com.orderflow.workflow;

/**
 * A workflow step was given input it cannot work with (a missing or malformed field): a defect in the
 * state machine or its caller, not a business outcome. Its class name is the error Step Functions sees.
 */
public class InvalidStepInputException extends RuntimeException {

    public static final String PREFIX = "Step.InvalidInput: ";

    public InvalidStepInputException(String problem) {
        super(PREFIX + problem);
    }

    /** Returns {@code value}, or throws naming {@code field} when it is null. */
    public static <T> T require(T value, String field) {
        if (value == null) {
            throw new InvalidStepInputException(field + " is required");
        }
        return value;
    }
}
