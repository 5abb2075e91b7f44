package com.orderflow.local.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.orderflow.json.Json;
import com.orderflow.local.engine.EventDetails;
import com.orderflow.local.engine.EventDetails.MapIteration.Stage;
import com.orderflow.local.engine.HistoryEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run of events reads back exactly, in the compact run record and in the run record written before it, with details
 * as trees (every record before the compact details forms) and in those forms.
 */
class EventCodecTest {

    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00.123456Z");

    private static List<HistoryEvent> run() {
        ObjectNode small = Json.mapper().createObjectNode();
        small.putObject("stateEnteredEventDetails").put("name", "Prepare").put("input", "{\"id\":\"abc\"}");
        ObjectNode large = Json.mapper().createObjectNode();
        large.putObject("stateExitedEventDetails").put("name", "Prepare").put("output", "x".repeat(40_000));
        return List.of(
                new HistoryEvent(2, 0, T0, "PassStateEntered", small),
                new HistoryEvent(3, 2, T0.plusNanos(7_000), "PassStateExited", large),
                // a clock that stepped back, a type without a code, no details, an event id past one byte
                new HistoryEvent(300, 3, T0.minusSeconds(2), "SomeFutureEventType", null),
                new HistoryEvent(301, 1, T0.plusSeconds(86_400L * 400), "ParallelStateEntered", small));
    }

    @Test
    void eventRun_readsBackEveryEvent_andEveryHeader() {
        var out = EventCodec.eventRun(42, run());
        ByteBuffer body = ByteBuffer.wrap(out.toArray());

        assertThat(EventCodec.decodeRun(body.duplicate())).isEqualTo(run());
        var headers = new ArrayList<EventCodec.Header>();
        EventCodec.runHeaders(body.duplicate(), headers::add);
        assertThat(headers).extracting(EventCodec.Header::execution).containsOnly(42L);
        assertThat(headers).extracting(EventCodec.Header::id).containsExactly(2, 3, 300, 301);
        assertThat(headers).extracting(EventCodec.Header::previous).containsExactly(0, 2, 3, 1);
        assertThat(headers).extracting(EventCodec.Header::timestamp)
                .containsExactly(T0, T0.plusNanos(7_000), T0.minusSeconds(2), T0.plusSeconds(86_400L * 400));
        assertThat(headers).extracting(EventCodec.Header::type)
                .containsExactly("PassStateEntered", "PassStateExited", "SomeFutureEventType", "ParallelStateEntered");
    }

    @Test
    void eventRun_isSmallerThanTheRunRecordBeforeIt() {
        var small = run().stream().filter(e -> e.id() != 3).toList();
        assertThat(EventCodec.eventRun(42, small).size()).isLessThan(EventCodec.events(42, small).size() - 40);
    }

    @Test
    void runRecordsWrittenBeforeEventRun_stillRead() {
        var out = EventCodec.events(42, run());
        ByteBuffer body = ByteBuffer.wrap(out.toArray());

        assertThat(EventCodec.decodeAll(body.duplicate())).isEqualTo(run());
        var ids = new ArrayList<Integer>();
        EventCodec.headers(body.duplicate(), h -> ids.add(h.id()));
        assertThat(ids).containsExactly(2, 3, 300, 301);
    }

    @Test
    void executionMeta_isTheJsonOfItsFields_withNullsAndEscapes() throws Exception {
        var e = new StoredExecution(null, 7, "arn:aws:states:us-east-1:000000000000:execution:sm:n", "n \"quoted\" \u0001",
                "arn:aws:states:us-east-1:000000000000:stateMachine:sm", "sm", 3, T0, null, null, "alias-arn", null, true);

        var meta = Json.mapper().readTree(EventCodec.executionMeta(e));

        var expected = Json.mapper().createObjectNode()
                .put("executionArn", e.executionArn()).put("name", e.name()).put("stateMachineArn", e.stateMachineArn())
                .put("stateMachineName", "sm").put("revision", 3L).put("startDate", T0.toString())
                .put("testCase", (String) null).put("versionArn", (String) null).put("aliasArn", "alias-arn")
                .put("mapRunArn", (String) null);
        assertThat(meta.toString()).isEqualTo(expected.toString()); // the same text (numbers read back as int)
    }

    /** Every compact details form the engine records, in the events that carry them. */
    private static List<HistoryEvent> compactRun() {
        return List.of(
                HistoryEvent.of(1, 0, T0, "ExecutionStarted", new EventDetails.ExecutionStarted("{\"id\":\"ünï\"}", null)),
                HistoryEvent.of(2, 1, T0, "ExecutionStarted",
                        new EventDetails.ExecutionStarted("{}", "arn:aws:iam::000000000000:role/r")),
                HistoryEvent.of(3, 2, T0, "TaskStateEntered", new EventDetails.StateEntered("Charge", "x".repeat(20_000))),
                HistoryEvent.of(4, 3, T0, "LambdaFunctionScheduled",
                        new EventDetails.LambdaScheduled("arn:aws:lambda:us-east-1:000000000000:function:f", "{}", 30)),
                HistoryEvent.of(5, 4, T0, "LambdaFunctionScheduled",
                        new EventDetails.LambdaScheduled("arn:aws:lambda:us-east-1:000000000000:function:f", "{}", null)),
                HistoryEvent.of(6, 5, T0, "LambdaFunctionStarted", EventDetails.NONE),
                HistoryEvent.of(7, 6, T0, "LambdaFunctionSucceeded", new EventDetails.LambdaSucceeded("\"ok\"")),
                HistoryEvent.of(8, 7, T0, "TaskStateExited", new EventDetails.StateExited("Charge", "[1,2]")),
                HistoryEvent.of(9, 8, T0, "MapStateStarted", new EventDetails.MapStarted(300)),
                HistoryEvent.of(10, 9, T0, "MapIterationStarted", new EventDetails.MapIteration(Stage.STARTED, "Each", 0)),
                HistoryEvent.of(11, 10, T0, "MapIterationAborted", new EventDetails.MapIteration(Stage.ABORTED, "Each", 299)),
                HistoryEvent.of(12, 11, T0, "ExecutionSucceeded", new EventDetails.ExecutionSucceeded("null")));
    }

    @Test
    void compactDetails_readBackInTheirForm_inEveryRecordKind() {
        var run = compactRun();
        var fromRun = EventCodec.decodeRun(ByteBuffer.wrap(EventCodec.eventRun(42, run).toArray()));
        var fromEvents = EventCodec.decodeAll(ByteBuffer.wrap(EventCodec.events(42, run).toArray()));
        var single = EventCodec.decode(EventCodec.EVENT, ByteBuffer.wrap(EventCodec.event(42, run.get(2)).toArray()));

        for (var read : List.of(fromRun, fromEvents)) {
            assertThat(read).extracting(HistoryEvent::content)
                    .containsExactlyElementsOf(run.stream().map(HistoryEvent::content).toList());
        }
        assertThat(single.content()).isEqualTo(run.get(2).content());
    }

    @Test
    void compactDetails_areFewerBytesThanTheTreesTheyStandFor_andEqualToThem() {
        var compact = compactRun();
        var trees = compact.stream()
                .map(e -> new HistoryEvent(e.id(), e.previousEventId(), e.timestamp(), e.type(), e.details())).toList();

        assertThat(EventCodec.eventRun(42, compact).size()).isLessThan(EventCodec.eventRun(42, trees).size() - 8 * 12);
        // an event in its compact form equals the one whose tree was written by the store before those forms
        assertThat(EventCodec.decodeRun(ByteBuffer.wrap(EventCodec.eventRun(42, trees).toArray()))).isEqualTo(compact);
    }
}
