package com.orderflow.local.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One entry of an execution's event history, shaped like GetExecutionHistory's {@code HistoryEvent}.
 *
 * @param id              1-based, increasing within the execution
 * @param previousEventId the event this one follows from (0 for the first)
 * @param timestamp       when it happened
 * @param type            the AWS event type, e.g. {@code ExecutionStarted}, {@code TaskStateEntered},
 *                        {@code LambdaFunctionScheduled}, {@code TaskSucceeded}
 * @param details         the type's details object exactly as the JSON API returns it under its
 *                        AWS field name (e.g. {@code {"stateEnteredEventDetails": {"name":..,"input":..}}})
 */
public record HistoryEvent(long id, long previousEventId, Instant timestamp, String type, ObjectNode details) {
}
