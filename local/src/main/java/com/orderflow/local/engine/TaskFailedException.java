package com.orderflow.local.engine;

/** A task failure as Step Functions reports it: an error name (matched by ErrorEquals) and a cause. */
public class TaskFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String error;
    private final String cause;

    public TaskFailedException(String error, String cause) {
        super(error + ": " + cause);
        this.error = error;
        this.cause = cause;
    }

    public String error() {
        return error;
    }

    public String cause() {
        return cause;
    }
}
