package com.orderflow.local.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.orderflow.local.engine.ExecutionStatus;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.HistoryRecorder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One execution as the store holds it: who it is, and its durable history, from which everything
 * else (status, stop date, output, error) is derived. On disk only the history's locations stay in
 * memory; in memory the events themselves. Thread-safe.
 */
public final class StoredExecution implements HistoryRecorder {

    private static final String REDRIVEN = "ExecutionRedriven";

    private WorkflowStore store;
    private final long key;
    private final String executionArn;
    private final String name;
    private final String stateMachineArn;
    private final String stateMachineName;
    private final long revision;
    private final Instant startDate;
    private final String testCase;
    private final String versionArn;
    private final String aliasArn;
    /** The Map Run this is a child execution of, or null. */
    private final String mapRunArn;

    private long[] locations = new long[0];
    private List<HistoryEvent> events;
    private int durable;
    /** The closing event's type and time once it is durable. */
    private String terminalType;
    private Instant stopDate;
    /** How many ExecutionRedriven events are durable, and the time of the last. */
    private int redriveCount;
    private Instant redriveDate;
    /** Each restart that resumed this execution: the id of the first event recorded after it, and when. */
    private final List<Resume> resumes = new ArrayList<>(0);
    /** The last heartbeat of each task attempt that had one, by the attempt's started event id; null until one. */
    private Map<Long, Instant> heartbeats;

    /** A restart that resumed the execution before event {@code beforeEventId}. */
    public record Resume(long beforeEventId, Instant at) {
    }

    StoredExecution(WorkflowStore store, long key, String executionArn, String name, String stateMachineArn,
                    String stateMachineName, long revision, Instant startDate, String testCase, String versionArn,
                    String aliasArn, String mapRunArn, boolean inMemory) {
        this.testCase = testCase;
        this.mapRunArn = mapRunArn;
        this.versionArn = versionArn;
        this.aliasArn = aliasArn;
        this.store = store;
        this.key = key;
        this.executionArn = executionArn;
        this.name = name;
        this.stateMachineArn = stateMachineArn;
        this.stateMachineName = stateMachineName;
        this.revision = revision;
        this.startDate = startDate;
        this.events = inMemory ? new ArrayList<>(24) : null;
        if (!inMemory) {
            locations = new long[24];
        }
    }

    /** Ties an execution read back at open to the store that holds it. */
    synchronized StoredExecution bind(WorkflowStore owner) {
        this.store = owner;
        return this;
    }

    /** The store's number for this execution: later starts have larger keys (ListExecutions pages by it). */
    public long key() {
        return key;
    }

    public String executionArn() {
        return executionArn;
    }

    public String name() {
        return name;
    }

    public String stateMachineArn() {
        return stateMachineArn;
    }

    public String stateMachineName() {
        return stateMachineName;
    }

    /** The state machine revision (definition) this execution runs. */
    public long revision() {
        return revision;
    }

    public Instant startDate() {
        return startDate;
    }

    /** The mock configuration's test case this execution runs under, or {@code null}. */
    public String testCase() {
        return testCase;
    }

    /** The state machine version it was started on, or {@code null} for the unqualified state machine. */
    public String versionArn() {
        return versionArn;
    }

    /** The alias it was started through, or {@code null}. */
    public String aliasArn() {
        return aliasArn;
    }

    /** The Map Run this is a child execution of, or null. */
    public String mapRunArn() {
        return mapRunArn;
    }

    /** Derived from the durable history: RUNNING until a closing event is on disk. */
    public synchronized ExecutionStatus status() {
        return terminalType == null ? ExecutionStatus.RUNNING : statusOf(terminalType);
    }

    public synchronized Instant stopDate() {
        return stopDate;
    }

    /** How many times the execution was redriven (RedriveExecution), from its durable history. */
    public synchronized int redriveCount() {
        return redriveCount;
    }

    /** When it was last redriven, or {@code null}. */
    public synchronized Instant redriveDate() {
        return redriveDate;
    }

    /** A durable ExecutionRedriven event opens the execution again: it is RUNNING until its next closing event. */
    private void redriven(Instant at) {
        terminalType = null;
        stopDate = null;
        redriveCount++;
        redriveDate = at;
    }

    /** Visible once its first event is durable. */
    synchronized boolean visible() {
        return durable > 0;
    }

    /** The durable history, in id order. */
    public List<HistoryEvent> history() {
        long[] at;
        synchronized (this) {
            if (events != null) {
                return List.copyOf(events.subList(0, durable));
            }
            at = Arrays.copyOf(locations, durable);
        }
        var history = new ArrayList<HistoryEvent>(at.length);
        for (int i = 0; i < at.length; ) {
            // a run of events shares one record: read it once
            int before = i;
            for (HistoryEvent event : store.readEvents(at[i])) {
                if (i < at.length && event.id() == i + 1) {
                    history.add(event);
                    i++;
                }
            }
            if (i == before) {
                throw new IllegalStateException("the store's record at " + at[i] + " does not hold event " + (i + 1));
            }
        }
        return history;
    }

    /** The first durable event (ExecutionStarted). */
    public HistoryEvent first() {
        return eventAt(0);
    }

    /** The closing event, or {@code null} while the execution runs. */
    public HistoryEvent closing() {
        synchronized (this) {
            if (terminalType == null) {
                return null;
            }
        }
        return eventAt(-1);
    }

    private HistoryEvent eventAt(int index) {
        long location;
        synchronized (this) {
            int i = index < 0 ? durable - 1 : index;
            if (events != null) {
                return events.get(i);
            }
            location = locations[i];
            index = i;
        }
        return store.readEvent(location, index + 1);
    }

    /** The restarts this execution was resumed after, oldest first. */
    public synchronized List<Resume> resumes() {
        return List.copyOf(resumes);
    }

    /** Notes, durably, that the engine resumes this execution now; its next event will be {@code beforeEventId}. */
    public void resumed(long beforeEventId, Instant at) {
        synchronized (this) {
            resumes.add(new Resume(beforeEventId, at));
        }
        if (events == null) {
            store.writeResumed(this, beforeEventId, at);
        }
    }

    synchronized void restoredResume(long beforeEventId, Instant at) {
        resumes.add(new Resume(beforeEventId, at));
    }

    @Override
    public void recordHeartbeat(long taskEventId, Instant at, Runnable onDurable) {
        synchronized (this) {
            if (heartbeats == null) {
                heartbeats = new HashMap<>(2);
            }
            heartbeats.put(taskEventId, at);
        }
        if (events != null) {
            if (onDurable != null) {
                onDurable.run();
            }
            return;
        }
        store.writeHeartbeat(this, taskEventId, at, location -> {
            if (onDurable != null) {
                onDurable.run();
            }
        });
    }

    @Override
    public synchronized Instant lastHeartbeat(long taskEventId) {
        return heartbeats == null ? null : heartbeats.get(taskEventId);
    }

    synchronized void restoredHeartbeat(long taskEventId, Instant at) {
        if (heartbeats == null) {
            heartbeats = new HashMap<>(2);
        }
        heartbeats.merge(taskEventId, at, (a, b) -> b.isAfter(a) ? b : a);
    }

    /** The execution input as StartExecution received it. */
    public String input() {
        JsonNode d = first().details().path("executionStartedEventDetails");
        return d.path("input").asText("{}");
    }

    static ExecutionStatus statusOf(String type) {
        return switch (type) {
            case "ExecutionSucceeded" -> ExecutionStatus.SUCCEEDED;
            case "ExecutionFailed" -> ExecutionStatus.FAILED;
            case "ExecutionTimedOut" -> ExecutionStatus.TIMED_OUT;
            case "ExecutionAborted" -> ExecutionStatus.ABORTED;
            default -> ExecutionStatus.RUNNING;
        };
    }

    // ---- recording -------------------------------------------------------------------------------

    @Override
    public void record(HistoryEvent event, Runnable onDurable) {
        if (events != null) {
            durable(event, -1);
            if (onDurable != null) {
                onDurable.run();
            }
            return;
        }
        store.write(this, event, location -> {
            durable(event, location);
            if (onDurable != null) {
                onDurable.run();
            }
        });
    }

    @Override
    public void recordAll(List<HistoryEvent> run, Runnable onDurable) {
        if (events != null || run.getFirst().id() == 1) {
            HistoryRecorder.super.recordAll(run, onDurable); // in memory, or a start (its record carries the execution)
            return;
        }
        store.writeAll(this, run, location -> {
            for (HistoryEvent event : run) {
                durable(event, location);
            }
            if (onDurable != null) {
                onDurable.run();
            }
        });
    }

    /** The event is on disk at {@code location} (or, for a store in memory, kept in memory). */
    void durable(HistoryEvent event, long location) {
        boolean first;
        synchronized (this) {
            if (event.id() <= durable) {
                return; // a record seen twice (a batch written again after a failed write, or handed over again)
            }
            if (event.id() > durable + 1) {
                // never silently: every later event would be dropped too, and the execution look RUNNING for good
                throw new IllegalStateException("execution " + executionArn + ": event " + event.id()
                        + " reached the store before event " + (durable + 1) + "; its history is cut there");
            }
            if (events != null) {
                events.add(event);
            } else {
                if (durable == locations.length) {
                    locations = Arrays.copyOf(locations, Math.max(8, durable * 2));
                }
                locations[durable] = location;
            }
            durable++;
            first = durable == 1;
            if (statusOf(event.type()) != ExecutionStatus.RUNNING) {
                terminalType = event.type();
                stopDate = event.timestamp();
                if (locations.length > durable) {
                    locations = Arrays.copyOf(locations, durable);
                }
            } else if (event.type().equals(REDRIVEN)) {
                redriven(event.timestamp());
            }
        }
        if (first) {
            store.visible(this);
        }
    }

    /** Rebuilds from the log at open: one durable event at a time, in log order. */
    synchronized void restored(EventCodec.Header header, long location) {
        if (header.id() != durable + 1) {
            return;
        }
        if (durable == locations.length) {
            locations = Arrays.copyOf(locations, Math.max(8, durable * 2));
        }
        locations[durable++] = location;
        if (header.terminal()) {
            terminalType = header.type();
            stopDate = header.timestamp();
            locations = Arrays.copyOf(locations, durable);
        } else if (header.type().equals(REDRIVEN)) {
            redriven(header.timestamp());
        }
    }

    /** The segment of the first record and of the last. */
    synchronized int firstSegment() {
        return durable == 0 ? Integer.MAX_VALUE : EventLog.segmentOf(locations[0]);
    }
}
