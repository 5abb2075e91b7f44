package com.orderflow.cdk.deploy;

/** A deploy step failed; the message is one line telling the user what to do next. */
public final class DeployException extends RuntimeException {

    public DeployException(String message) {
        super(message);
    }

    public DeployException(String message, Throwable cause) {
        super(message, cause);
    }
}
