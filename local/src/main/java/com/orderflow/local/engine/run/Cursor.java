package com.orderflow.local.engine.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CountDownLatch;

/** Where the next event of one thread of control follows from. */
final class Cursor {
    final long origin;
    long last;
    /** Counted down once this thread of control has entered its first state (Parallel branches). */
    CountDownLatch firstEntry;
    final Variables variables;
    /** What the current state's Assign set, reported in its StateExited event. */
    ObjectNode assigned;
    /** The last state's output and its JSON text: the next state's input, written once for both events. */
    JsonNode lastOutput;
    String lastOutputText;

    Cursor(long last, Variables variables) {
        this.origin = last;
        this.last = last;
        this.variables = variables;
    }
}
