package com.orderflow.local.engine.expr;

/**
 * An ASL error raised while running a state: a name matched by Retry/Catch ErrorEquals and a cause.
 * Stack traces are not filled in: failures are ordinary control flow in a workflow.
 */
public final class StateFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public static final String RUNTIME = "States.Runtime";
    public static final String TIMEOUT = "States.Timeout";
    public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";
    static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
    public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
    public static final String RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";
    static final String PARAMETER_PATH_FAILURE = "States.ParameterPathFailure";
    public static final String TASK_FAILED = "States.TaskFailed";
    public static final String ALL = "States.ALL";
    /** A JSONata expression failed or yielded nothing where a value is needed; Retry and Catch apply. */
    public static final String QUERY_EVALUATION_ERROR = "States.QueryEvaluationError";

    private final String error;
    private final String cause;
    /** Raised by the engine itself: its cause gets AWS's "An error occurred while executing the state" prefix. */
    private final boolean fromEngine;
    private final boolean terminal;
    /** The field a JSONata evaluation failed in, until its EvaluationFailed event is recorded; null otherwise. */
    private final String location;

    public StateFailure(String error, String cause) {
        this(error, cause, false, false, null);
    }

    private StateFailure(String error, String cause, boolean fromEngine, boolean terminal, String location) {
        super(error + ": " + cause, null, false, false);
        this.error = error;
        this.cause = cause;
        this.fromEngine = fromEngine;
        this.terminal = terminal;
        this.location = location;
    }

    /**
     * A failure the engine detects while processing a state's data (paths, intrinsics, limits).
     * States.Runtime and an oversized state input/output end the execution: no Retry or Catch applies.
     */
    public static StateFailure engine(String error, String detail) {
        return new StateFailure(error, detail, true, RUNTIME.equals(error) || DATA_LIMIT_EXCEEDED.equals(error), null);
    }

    /** A JSONata expression of the field {@code location} failed: States.QueryEvaluationError, which Catch handles. */
    static StateFailure evaluation(String detail, String location) {
        return new StateFailure(QUERY_EVALUATION_ERROR, detail, true, false, location);
    }

    /** Where an evaluation failed, while its EvaluationFailed event is still to be recorded; null otherwise. */
    public String evaluationLocation() {
        return location;
    }

    /** The same failure once its EvaluationFailed event is recorded. */
    public StateFailure evaluationRecorded() {
        return location == null ? this : new StateFailure(error, cause, fromEngine, terminal, null);
    }

    public String error() {
        return error;
    }

    public String cause() {
        return cause;
    }

    boolean fromEngine() {
        return fromEngine;
    }

    /** The same failure with the state-location prefix AWS puts on engine-raised causes. */
    public StateFailure located(String stateName, long enteredEventId) {
        if (!fromEngine) {
            return this;
        }
        return new StateFailure(error, "An error occurred while executing the state '" + stateName
                + "' (entered at the event id #" + enteredEventId + "). " + cause, false, terminal, location);
    }

    /** Ends the execution whatever Retry or Catch say. */
    public boolean terminal() {
        return terminal;
    }
}
