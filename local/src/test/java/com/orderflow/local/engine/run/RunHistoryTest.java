package com.orderflow.local.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.orderflow.local.engine.EventDetails;
import com.orderflow.local.engine.HistoryEvent;
import com.orderflow.local.engine.HistoryRecorder;
import com.orderflow.local.engine.HistoryUnavailableException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunHistoryTest {

    /** Takes what it is handed, except that it refuses the hand-over it is told to. */
    private static final class RefusingRecorder implements HistoryRecorder {
        final List<List<Long>> handedOver = new ArrayList<>();
        int refuseCall = -1;
        private int calls;

        @Override
        public void record(HistoryEvent event, Runnable onDurable) {
            recordAll(List.of(event), onDurable);
        }

        @Override
        public void recordAll(List<HistoryEvent> events, Runnable onDurable) {
            if (calls++ == refuseCall) {
                throw new HistoryUnavailableException("the store cannot write just now");
            }
            handedOver.add(events.stream().map(HistoryEvent::id).toList());
            if (onDurable != null) {
                onDurable.run();
            }
        }
    }

    private static long append(RunHistory history, String type) {
        return history.append(type, history.lastId(), Instant.now(), EventDetails.NONE, null);
    }

    @Test
    void aRunTheRecorderRefused_isHandedOverAgainWithWhatFollows_soTheStoreSeesNoGap() {
        var recorder = new RefusingRecorder();
        recorder.refuseCall = 1;
        var history = new RunHistory(recorder, List.of());
        history.append("ExecutionStarted", 0, Instant.now(), EventDetails.NONE, () -> { });
        append(history, "TaskStateEntered");
        append(history, "LambdaFunctionScheduled");

        assertThatThrownBy(() -> history.flush(null)).isInstanceOf(HistoryUnavailableException.class);
        append(history, "LambdaFunctionStarted");
        history.flush(null);

        // dropped with the refusal, events 2 and 3 would have left the store waiting for them for good
        assertThat(recorder.handedOver).containsExactly(List.of(1L), List.of(2L, 3L, 4L));
    }
}
