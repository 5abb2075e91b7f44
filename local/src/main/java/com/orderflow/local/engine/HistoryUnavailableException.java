package com.orderflow.local.engine;

/**
 * The execution history cannot be made durable right now (a failing or full store); nothing was acknowledged.
 * When a start was queued but not stored in time, {@link #pending()} is the execution: it runs if and once its
 * start reaches the disk, and it exists only from then on.
 */
public final class HistoryUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Execution pending;

    public HistoryUnavailableException(String message) {
        this(message, null);
    }

    public HistoryUnavailableException(String message, Execution pending) {
        super(message);
        this.pending = pending;
    }

    public java.util.Optional<Execution> pending() {
        return java.util.Optional.ofNullable(pending);
    }
}
