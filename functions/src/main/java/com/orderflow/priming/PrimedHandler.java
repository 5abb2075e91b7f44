package com.orderflow.priming;

import java.util.List;

/**
 * What a handler offers to be warmed before a SnapStart snapshot. {@link Priming} runs it from the CRaC hooks and
 * knows nothing else of the handler: which events exercise its paths, what its AWS calls are answered while it is
 * primed, what it must undo afterwards and what it must renew after a restore are the handler's to say.
 */
public interface PrimedHandler {

    /**
     * Events as Lambda would deliver them, each safe to run before a snapshot: one per path worth warming (invalid
     * input among them, since an error answer is a path too).
     */
    List<String> primingEvents();

    /**
     * The answers the handler's own SDK clients get while it is primed (clients built with
     * {@link PrimingTransport#wrap}); every other client's call is stopped before the wire. None by default.
     */
    default CannedAnswers primingAnswers() {
        return CannedAnswers.NONE;
    }

    /** Runs once the events ran, before the snapshot: undoes in-memory state they left behind. */
    default void afterPriming() {
    }

    /** Runs after every restore: renews what must be unique per execution environment (a random source). */
    default void afterRestore() {
    }
}
