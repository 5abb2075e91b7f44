package com.orderflow.local.engine.run;

import com.orderflow.local.engine.definition.State;

/**
 * The entered and exited event types of each state type, as constants: a type built by concatenation at every
 * transition is a new string whose hash the store and the history then compute again for each event.
 */
final class StateEvents {

    private StateEvents() {
    }

    static String entered(State state) {
        return switch (state) {
            case State.Pass p -> "PassStateEntered";
            case State.Task t -> "TaskStateEntered";
            case State.Choice c -> "ChoiceStateEntered";
            case State.Wait w -> "WaitStateEntered";
            case State.Succeed s -> "SucceedStateEntered";
            case State.Fail f -> "FailStateEntered";
            case State.Parallel p -> "ParallelStateEntered";
            case State.MapState m -> "MapStateEntered";
        };
    }

    static String exited(State state) {
        return switch (state) {
            case State.Pass p -> "PassStateExited";
            case State.Task t -> "TaskStateExited";
            case State.Choice c -> "ChoiceStateExited";
            case State.Wait w -> "WaitStateExited";
            case State.Succeed s -> "SucceedStateExited";
            case State.Fail f -> "FailStateExited";
            case State.Parallel p -> "ParallelStateExited";
            case State.MapState m -> "MapStateExited";
        };
    }
}
