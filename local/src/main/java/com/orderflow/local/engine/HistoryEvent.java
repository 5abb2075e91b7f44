package com.orderflow.local.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One entry of an execution's event history, shaped like GetExecutionHistory's {@code HistoryEvent}. Immutable. The
 * details are kept as they were recorded ({@link #content()}): the common events' fields, or a tree; two events are
 * equal when their details read as the same tree.
 */
public final class HistoryEvent {

    private final long id;
    private final long previousEventId;
    private final Instant timestamp;
    private final String type;
    private final EventDetails content;

    /**
     * @param id              1-based, increasing within the execution
     * @param previousEventId the event this one follows from (0 for the first)
     * @param timestamp       when it happened
     * @param type            the AWS event type, e.g. {@code ExecutionStarted}, {@code TaskStateEntered},
     *                        {@code LambdaFunctionScheduled}, {@code TaskSucceeded}
     * @param details         the type's details object exactly as the JSON API returns it under its AWS field name
     *                        (e.g. {@code {"stateEnteredEventDetails": {"name":..,"input":..}}}); may be {@code null}
     */
    public HistoryEvent(long id, long previousEventId, Instant timestamp, String type, ObjectNode details) {
        this(id, previousEventId, timestamp, type, details == null ? null : new EventDetails.Tree(details));
    }

    private HistoryEvent(long id, long previousEventId, Instant timestamp, String type, EventDetails content) {
        this.id = id;
        this.previousEventId = previousEventId;
        this.timestamp = timestamp;
        this.type = type;
        this.content = content;
    }

    /** An event whose details are {@code content} ({@code null}: none), its tree built only when read. */
    public static HistoryEvent of(long id, long previousEventId, Instant timestamp, String type, EventDetails content) {
        return new HistoryEvent(id, previousEventId, timestamp, type, content);
    }

    public long id() {
        return id;
    }

    public long previousEventId() {
        return previousEventId;
    }

    public Instant timestamp() {
        return timestamp;
    }

    public String type() {
        return type;
    }

    /**
     * The details as GetExecutionHistory returns them, or {@code null}. For the compact forms a new tree at each call,
     * so a reader that reads several fields reads the tree once.
     */
    public ObjectNode details() {
        return content == null ? null : content.tree();
    }

    /** The details as recorded: the store writes the compact forms field by field. */
    public EventDetails content() {
        return content;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HistoryEvent e && id == e.id && previousEventId == e.previousEventId
                && Objects.equals(timestamp, e.timestamp) && Objects.equals(type, e.type)
                && (Objects.equals(content, e.content) || Objects.equals(details(), e.details()));
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, previousEventId, timestamp, type, details());
    }

    @Override
    public String toString() {
        return "HistoryEvent[id=" + id + ", previousEventId=" + previousEventId + ", timestamp=" + timestamp
                + ", type=" + type + ", details=" + details() + "]";
    }
}
