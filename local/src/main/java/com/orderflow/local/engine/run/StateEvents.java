package com.orderflow.local.engine.run;

import com.orderflow.local.engine.definition.State;

/**
 * The entered and exited event types of each state type, as constants: a type built by concatenation at every
 * transition is a new string whose hash the store and the history then compute again for each event.
 */
record StateEvents(String entered, String exited) {

    private static final StateEvents PASS = of("Pass");
    private static final StateEvents TASK = of("Task");
    private static final StateEvents CHOICE = of("Choice");
    private static final StateEvents WAIT = of("Wait");
    private static final StateEvents SUCCEED = of("Succeed");
    private static final StateEvents FAIL = of("Fail");
    private static final StateEvents PARALLEL = of("Parallel");
    private static final StateEvents MAP = of("Map");

    private static StateEvents of(String prefix) {
        return new StateEvents((prefix + "StateEntered").intern(), (prefix + "StateExited").intern());
    }

    static StateEvents of(State state) {
        return switch (state) {
            case State.Pass p -> PASS;
            case State.Task t -> TASK;
            case State.Choice c -> CHOICE;
            case State.Wait w -> WAIT;
            case State.Succeed s -> SUCCEED;
            case State.Fail f -> FAIL;
            case State.Parallel p -> PARALLEL;
            case State.MapState m -> MAP;
        };
    }

    static String entered(State state) {
        return of(state).entered();
    }

    static String exited(State state) {
        return of(state).exited();
    }
}
