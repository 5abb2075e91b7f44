package com.orderflow.local.engine.run;

import com.orderflow.local.engine.EventDetails;
import com.orderflow.local.engine.HistoryEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The history a resumed execution recorded before a restart, and how much of it has been taken again. Events are
 * taken in id order (the original interleaving of branches); each thread of control finds its next one by the
 * event it follows from and what it is about to record.
 */
final class HistoryReplay {
    static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private final List<HistoryEvent> recorded;
    private final java.util.Map<Long, List<HistoryEvent>> children = new java.util.HashMap<>();
    private final boolean[] consumed;
    private int lowest;
    private int remaining;
    long lastProgress = System.nanoTime();

    /**
     * What a resumed or redriven execution takes again: every recorded event but those a redrive set aside
     * ({@link RedrivePlan}) and the ExecutionRedriven events themselves, each found under the event it follows.
     */
    HistoryReplay(List<HistoryEvent> recorded) {
        this.recorded = recorded;
        this.consumed = new boolean[recorded.size()];
        this.remaining = recorded.size();
        var plan = RedrivePlan.of(recorded);
        for (HistoryEvent e : recorded) {
            if (plan.setAside(e.id()) || e.type().equals(RedrivePlan.REDRIVEN)) {
                consume(e);
            } else {
                children.computeIfAbsent(plan.follows(e.id()), k -> new ArrayList<>(1)).add(e);
            }
        }
    }

    boolean done() {
        return remaining == 0;
    }

    long lowest() {
        return recorded.get(lowest).id();
    }

    HistoryEvent next(long previous, java.util.function.Predicate<HistoryEvent> matches) {
        for (HistoryEvent e : children.getOrDefault(previous, List.of())) {
            if (!consumed[(int) e.id() - 1] && matches.test(e)) {
                return e;
            }
        }
        return null;
    }

    void consume(HistoryEvent e) {
        consumed[(int) e.id() - 1] = true;
        remaining--;
        while (lowest < consumed.length && consumed[lowest]) {
            lowest++;
        }
        lastProgress = System.nanoTime();
    }

    /** Two events are the same step when their details name the same state and Map index. */
    static boolean sameKey(EventDetails recorded, EventDetails details) {
        return recorded == null || details == null || sameKey(recorded.tree(), details.tree());
    }

    private static boolean sameKey(ObjectNode recorded, ObjectNode details) {
        if (recorded == null || details == null || recorded.isEmpty() || details.isEmpty()) {
            return true;
        }
        JsonNode a = recorded.elements().next();
        JsonNode b = details.elements().next();
        return a.path("name").equals(b.path("name")) && a.path("index").equals(b.path("index"));
    }
}
