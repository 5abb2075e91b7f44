package com.orderflow.api.http;

/** Ends request handling early with a client-facing problem; carries no stack trace because it is not a fault. */
public final class ProblemException extends RuntimeException {

    private final transient Problem problem;

    ProblemException(Problem problem) {
        super(problem.title(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
