package com.orderflow.local.sfn;

/**
 * A client error of the Step Functions JSON API: an AWS error code ({@code __type}) and a message.
 * Always answered with HTTP 400 unless {@link #httpStatus()} says otherwise.
 */
public final class StepFunctionsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;
    private final int httpStatus;

    public StepFunctionsException(String code, String message) {
        this(code, message, 400);
    }

    public StepFunctionsException(String code, String message, int httpStatus) {
        super(message, null, false, false);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** AWS names the reason when the value does not even start as an ARN: {@code Invalid ARN prefix: orders}. */
    static StepFunctionsException invalidArn(String arn) {
        String reason = arn != null && arn.startsWith("arn:") ? arn : "Invalid ARN prefix: " + arn;
        return new StepFunctionsException("InvalidArn", "Invalid Arn: '" + reason + "'");
    }

    static StepFunctionsException stateMachineDoesNotExist(String arn) {
        return new StepFunctionsException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
    }

    static StepFunctionsException executionDoesNotExist(String arn) {
        return new StepFunctionsException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + arn + "'");
    }

    static StepFunctionsException validation(String message) {
        return new StepFunctionsException("ValidationException", message);
    }
}
