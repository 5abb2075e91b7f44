package com.orderflow.local.engine;

/** The execution history cannot be made durable right now (a failing or full store); nothing was acknowledged. */
public final class HistoryUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HistoryUnavailableException(String message) {
        super(message);
    }
}
