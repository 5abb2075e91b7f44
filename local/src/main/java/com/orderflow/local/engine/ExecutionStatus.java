package com.orderflow.local.engine;

/** The execution statuses of the Step Functions API. */
public enum ExecutionStatus {
    RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED
}
