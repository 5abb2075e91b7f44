package com.orderflow.local.engine.run;

/** Unwinds a thread of control after StopExecution, a timeout or a failed sibling. */
final class Stopped extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Stopped INSTANCE = new Stopped();

    private Stopped() {
        super("stopped", null, false, false);
    }
}
