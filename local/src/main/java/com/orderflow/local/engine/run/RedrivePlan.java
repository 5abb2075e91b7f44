package com.orderflow.local.engine.run;

import com.orderflow.local.engine.HistoryEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Which recorded events a redriven execution takes again. Before each {@code ExecutionRedriven} event, the attempt
 * that ended is split: what completed stands (a state that exited, with everything in it), and so do the openings of
 * the Parallel and Map states it failed in (their entry, their last attempt's start, each iteration's start), so that
 * only their unsuccessful branches and iterations run again; the rest (the state that failed, its retries, the
 * failure events and the closing event) is set aside and runs again. A Distributed Map's MapRunStarted stands and
 * its MapRunFailed is set aside: the same Map Run is redriven. The events set aside stay in the history.
 */
final class RedrivePlan {

    static final String REDRIVEN = "ExecutionRedriven";

    /** By event id (index 0 unused): whether it is set aside, and the nearest event it follows that is not. */
    private final boolean[] setAside;
    private final long[] follows;

    private RedrivePlan(boolean[] setAside, long[] follows) {
        this.setAside = setAside;
        this.follows = follows;
    }

    boolean setAside(long id) {
        return setAside[(int) id];
    }

    /** The event this one follows from among those taken again (its own previous event unless that was set aside). */
    long follows(long id) {
        return follows[(int) id];
    }

    /** The plan for a recorded history (ids 1..n); with no redrive in it, nothing is set aside. */
    static RedrivePlan of(List<HistoryEvent> recorded) {
        int n = recorded.size();
        var setAside = new boolean[n + 1];
        var follows = new long[n + 1];
        for (HistoryEvent e : recorded) {
            if (e.type().equals(REDRIVEN)) {
                linkFollows(recorded, setAside, follows, (int) e.id());
                splitAttempt(recorded, setAside, follows, (int) e.id());
            }
        }
        linkFollows(recorded, setAside, follows, n + 1);
        return new RedrivePlan(setAside, follows);
    }

    /** How many times the history was redriven. */
    static long redriveCount(List<HistoryEvent> recorded) {
        return recorded.stream().filter(e -> e.type().equals(REDRIVEN)).count();
    }

    private static void linkFollows(List<HistoryEvent> recorded, boolean[] setAside, long[] follows, int before) {
        for (int id = 1; id < before; id++) {
            long p = recorded.get(id - 1).previousEventId();
            follows[id] = p > 0 && setAside[(int) p] ? follows[(int) p] : p;
        }
    }

    /** One open scope an event lies in: a state entered, or an attempt of a Parallel or Map state. */
    private static final class Scope {
        final long id;
        final String name;
        final Scope parent;
        /** For a state: whether it is a Parallel or Map; for an attempt: whether it is a Map's. */
        final boolean compound;
        final boolean attempt;
        boolean closed;

        Scope(long id, String name, Scope parent, boolean compound, boolean attempt) {
            this.id = id;
            this.name = name;
            this.parent = parent;
            this.compound = compound;
            this.attempt = attempt;
        }
    }

    /** Sets aside what of the attempt that ended before the redrive at {@code redrive} runs again. */
    private static void splitAttempt(List<HistoryEvent> recorded, boolean[] setAside, long[] follows, int redrive) {
        var after = new Scope[redrive];   // the scopes open after each event
        var within = new Scope[redrive];  // the innermost scope each event belongs to
        var lastAttempt = new java.util.HashMap<Long, Long>();
        for (int id = 1; id < redrive; id++) {
            if (setAside[id]) {
                continue;
            }
            HistoryEvent e = recorded.get(id - 1);
            long p = follows[id];
            Scope base = p > 0 ? after[(int) p] : null;
            String type = e.type();
            Scope own = base;
            if (type.endsWith("StateEntered")) {
                boolean compound = type.startsWith("Parallel") || type.startsWith("Map");
                own = new Scope(id, name(e), base, compound, false);
                after[id] = own;
            } else if (type.endsWith("StateExited")) {
                own = innermostState(base, name(e));
                if (own != null) {
                    own.closed = true;
                    after[id] = own.parent;
                } else {
                    after[id] = base;
                }
            } else if (type.equals("ParallelStateStarted") || type.equals("MapStateStarted")) {
                own = new Scope(id, null, base, type.startsWith("Map"), true);
                if (base != null) {
                    lastAttempt.put(base.id, (long) id);
                }
                after[id] = own;
            } else if (type.startsWith("ParallelState") || type.startsWith("MapState")) {
                // Succeeded or Failed: the attempt is over and the state goes on
                own = openAttempt(base, type.startsWith("Map"));
                if (own != null) {
                    own.closed = true;
                    after[id] = own.parent;
                } else {
                    after[id] = base;
                }
            } else if (type.startsWith("MapIteration")) {
                own = openAttempt(base, true);
                after[id] = own != null ? own : base;
            } else {
                after[id] = base;
            }
            within[id] = own;
        }
        for (int id = 1; id < redrive; id++) {
            if (!setAside[id] && !takenAgain(recorded.get(id - 1).type(), within[id], lastAttempt)) {
                setAside[id] = true;
            }
        }
    }

    private static boolean takenAgain(String type, Scope own, java.util.Map<Long, Long> lastAttempt) {
        var chain = new ArrayList<Scope>();
        for (Scope s = own; s != null; s = s.parent) {
            chain.add(s);
        }
        for (int i = chain.size() - 1; i >= 0; i--) {
            Scope s = chain.get(i);
            if (s.attempt) {
                Scope state = s.parent;
                if (state != null && !Long.valueOf(s.id).equals(lastAttempt.get(state.id))) {
                    return false; // an earlier attempt of a state that was retried
                }
            } else if (s.closed) {
                return true; // the state completed: it stands with everything in it
            } else if (!s.compound) {
                return false; // the state that failed (or was in progress) runs again
            }
        }
        return switch (type) {
            case "ExecutionFailed", "ExecutionTimedOut", "ExecutionAborted", "ParallelStateFailed", "MapStateFailed",
                 "MapIterationFailed", "MapIterationAborted", "MapRunFailed", "MapRunAborted" -> false;
            default -> true;
        };
    }

    private static Scope innermostState(Scope from, String name) {
        for (Scope s = from; s != null; s = s.parent) {
            if (!s.attempt && !s.closed && name.equals(s.name)) {
                return s;
            }
        }
        return null;
    }

    private static Scope openAttempt(Scope from, boolean map) {
        for (Scope s = from; s != null; s = s.parent) {
            if (s.attempt && !s.closed && s.compound == map) {
                return s;
            }
        }
        return null;
    }

    private static String name(HistoryEvent e) {
        var details = e.details();
        return details == null || details.isEmpty() ? "" : details.elements().next().path("name").asText();
    }
}
