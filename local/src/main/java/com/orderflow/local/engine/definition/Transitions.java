package com.orderflow.local.engine.definition;

import com.orderflow.local.engine.definition.Diagnostics.Code;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the transitions of one graph's states: every Next, Default and catcher target names a state of the
 * same graph (so none leads out of a branch), every state can be reached from StartAt, and some state ends.
 */
final class Transitions {

    private final Diagnostics problems;

    Transitions(Diagnostics problems) {
        this.problems = problems;
    }

    /** Reports each target that is not a state of {@code states} and each state {@code start} cannot reach. */
    void check(Site states, String start) {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (Site state : states.fields()) {
            if (state.node().isObject()) {
                edges.put(state.name(), targets(state, states));
            }
        }
        Set<String> reached = new LinkedHashSet<>();
        var queue = new ArrayDeque<String>();
        queue.add(start);
        while (!queue.isEmpty()) {
            String name = queue.poll();
            if (reached.add(name)) {
                queue.addAll(edges.getOrDefault(name, List.of()));
            }
        }
        for (String name : edges.keySet()) {
            if (!reached.contains(name)) {
                problems.report(Code.MISSING_TRANSITION_TARGET, "State \"" + name + "\" is not reachable.",
                        states.field(name));
            }
        }
    }

    /** Whether some state is terminal: a Succeed or Fail state, or one with {@code "End": true}. */
    static boolean anyTerminal(Site states) {
        for (Site state : states.fields()) {
            String type = state.field("Type").node().asText();
            if (type.equals("Succeed") || type.equals("Fail") || state.field("End").node().asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    /** The states {@code state} may go to next, reporting the targets that are none of {@code states}. */
    private List<String> targets(Site state, Site states) {
        List<Site> transitions = new ArrayList<>();
        transitions.add(state.field("Next"));
        transitions.add(state.field("Default"));
        state.field("Choices").elements().forEach(choice -> transitions.add(choice.field("Next")));
        state.field("Catch").elements().forEach(catcher -> transitions.add(catcher.field("Next")));
        List<String> targets = new ArrayList<>();
        for (Site next : transitions) {
            if (!next.node().isTextual()) {
                continue;
            }
            String target = next.node().textValue();
            if (states.has(target)) {
                targets.add(target);
            } else {
                problems.report(Code.MISSING_TRANSITION_TARGET, "Missing '" + next.name() + "' target: " + target, next);
            }
        }
        return targets;
    }
}
