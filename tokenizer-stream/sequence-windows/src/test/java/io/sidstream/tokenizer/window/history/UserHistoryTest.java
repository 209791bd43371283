package io.sidstream.tokenizer.window.history;

import static io.sidstream.tokenizer.window.Fixtures.engagement;
import static io.sidstream.tokenizer.window.Fixtures.like;
import static io.sidstream.tokenizer.window.Fixtures.watch;
import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.Surface;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.tokenizer.window.Fixtures;
import io.sidstream.tokenizer.window.WindowsConfig;
import io.sidstream.tokenizer.window.join.ResolvedEngagement;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UserHistoryTest {

    private KeyedOneInputStreamOperatorTestHarness<String, ResolvedEngagement, TrainingExample> harness;

    @AfterEach
    void close() throws Exception {
        if (harness != null) {
            harness.close();
        }
    }

    @Test
    void aPositiveEngagementBecomesAnExampleOfTheHistoryBeforeIt() throws Exception {
        open(Fixtures.config(50), null);
        send(watch("e1", "u1", "v1", 0.2, 0), "cb-1", 1, 1, 1, 0); // not positive: history only
        send(like("e2", "u1", "v2", 5), "cb-1", 2, 2, 2, 0); // positive by type
        send(watch("e3", "u1", "v3", 0.8, 3605), "cb-1", 3, 3, 3, 0); // positive by watch fraction

        List<TrainingExample> examples = harness.extractOutputValues();
        assertThat(examples).extracting(TrainingExample::getExampleId).containsExactly("e2", "e3");

        TrainingExample second = examples.get(1);
        assertThat(second.getUserId()).isEqualTo("u1");
        assertThat(second.getTargetVideoId()).isEqualTo("v3");
        assertThat(second.getTargetSid()).containsExactly(3, 3, 3, 0);
        assertThat(second.getTargetEventType()).isEqualTo(EventType.WATCH);
        assertThat(second.getCodebookVersion()).isEqualTo("cb-1");
        assertThat(second.getEventTime()).isEqualTo(Fixtures.T0.plusSeconds(3605));
        assertThat(second.getContext().getHourOfDay()).isEqualTo(13);
        assertThat(second.getContext().getSurface()).isEqualTo(Surface.HOME);
        assertThat(second.getContext().getDevice()).isEqualTo(Device.TV);
        assertThat(second.getContext().getCountry()).isEqualTo("DE");
        assertThat(second.getHistory()).extracting(HistoryItem::getVideoId).containsExactly("v1", "v2");
        HistoryItem first = second.getHistory().get(0);
        assertThat(first.getSid()).containsExactly(1, 1, 1, 0);
        assertThat(first.getWatchBucket()).isEqualTo(3); // 0.2 -> [0.2, 0.3)
        assertThat(first.getTimeGapBucket()).isZero(); // no previous item
        assertThat(second.getHistory().get(1).getTimeGapBucket()).isEqualTo(3); // 5 s -> 1 + floor(log2 6)
        assertThat(second.getHistory().get(1).getWatchBucket()).isZero(); // a like without playback
        assertThat(examples.get(0).getHistory())
                .extracting(HistoryItem::getVideoId)
                .containsExactly("v1");
    }

    @Test
    void anOutOfOrderEngagementTakesItsEventTimePlaceInTheHistory() throws Exception {
        open(Fixtures.config(50), null);
        send(watch("a", "u1", "v1", 0.1, 10), "cb-1", 1, 0);
        send(watch("c", "u1", "v3", 0.1, 30), "cb-1", 3, 0);
        send(watch("b", "u1", "v2", 0.1, 20), "cb-1", 2, 0); // arrives after c, happened before it
        send(like("early", "u1", "v9", 15), "cb-1", 9, 0); // positive, out of order: sees only a
        send(like("d", "u1", "v4", 40), "cb-1", 4, 0);

        List<TrainingExample> examples = harness.extractOutputValues();
        assertThat(examples).extracting(TrainingExample::getExampleId).containsExactly("early", "d");
        assertThat(examples.get(0).getHistory())
                .extracting(HistoryItem::getVideoId)
                .containsExactly("v1");
        assertThat(examples.get(1).getHistory())
                .extracting(HistoryItem::getVideoId)
                .containsExactly("v1", "v9", "v2", "v3");
    }

    @Test
    void theHistoryKeepsTheLastNItemsAndLeavesExcludedTypesOut() throws Exception {
        open(Fixtures.config(3), null);
        for (int i = 0; i < 5; i++) {
            send(watch("w" + i, "u1", "v" + i, 0.1, i), "cb-1", i, 0);
        }
        send(engagement("imp", "u1", "v-imp", EventType.IMPRESSION, 0, 6), "cb-1", 99, 0);
        send(like("target", "u1", "v9", 10), "cb-1", 9, 0);

        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(e -> assertThat(e.getHistory())
                        .extracting(HistoryItem::getVideoId)
                        .containsExactly("v2", "v3", "v4"));
    }

    @Test
    void historyItemsOfAnOlderCodebookAreLeftOutOfAnExampleInTheNewOne() throws Exception {
        open(Fixtures.config(50), null);
        send(watch("old1", "u1", "v1", 0.1, 0), "cb-1", 1, 0);
        send(watch("old2", "u1", "v2", 0.1, 1), "cb-1", 2, 0);
        send(watch("new1", "u1", "v3", 0.1, 2), "cb-2", 3, 0);
        send(like("target", "u1", "v4", 3), "cb-2", 4, 0);
        send(like("old-target", "u1", "v5", 4), "cb-1", 5, 0);

        List<TrainingExample> examples = harness.extractOutputValues();
        assertThat(examples.get(0).getCodebookVersion()).isEqualTo("cb-2");
        assertThat(examples.get(0).getHistory())
                .extracting(HistoryItem::getVideoId)
                .containsExactly("v3");
        // the gap is still measured to the previous engagement, whatever its version
        assertThat(examples.get(0).getHistory().get(0).getTimeGapBucket()).isEqualTo(2);
        assertThat(examples.get(1).getCodebookVersion()).isEqualTo("cb-1");
        assertThat(examples.get(1).getHistory())
                .extracting(HistoryItem::getVideoId)
                .containsExactly("v1", "v2");
    }

    @Test
    void aUserInactiveForTheTtlIsRemovedFromState() throws Exception {
        WindowsConfig config = Fixtures.config(50);
        open(config, null);
        long ttl = config.userTtl().toSeconds();
        send(watch("a", "u1", "v1", 0.1, 0), "cb-1", 1, 0);
        send(watch("b", "u2", "v1", 0.1, ttl - 10), "cb-1", 1, 0);

        harness.processWatermark(new Watermark(Fixtures.T0.plusSeconds(ttl - 1).toEpochMilli()));
        send(like("c", "u1", "v2", ttl - 1), "cb-1", 2, 0); // u1 still known
        harness.processWatermark(
                new Watermark(Fixtures.T0.plusSeconds(2 * ttl - 11).toEpochMilli()));
        send(like("d", "u2", "v2", 2 * ttl - 11), "cb-1", 2, 0); // u2 was active at ttl - 10: still known
        harness.processWatermark(new Watermark(Fixtures.T0.plusSeconds(3 * ttl).toEpochMilli()));
        send(like("e", "u1", "v3", 3 * ttl), "cb-1", 3, 0); // u1 inactive since ttl - 1: forgotten

        List<TrainingExample> examples = harness.extractOutputValues();
        assertThat(examples).extracting(TrainingExample::getExampleId).containsExactly("c", "d", "e");
        assertThat(examples.get(0).getHistory())
                .extracting(HistoryItem::getVideoId)
                .containsExactly("v1");
        assertThat(examples.get(1).getHistory())
                .extracting(HistoryItem::getVideoId)
                .containsExactly("v1");
        assertThat(examples.get(2).getHistory()).isEmpty();
    }

    /**
     * One value and one event-time timer per user, whatever the user sent: the timer moves forward lazily while the
     * user is active, and when it finally fires nothing of the user is left, neither state nor a timer (a leak here
     * grows with every user ever seen).
     */
    @Test
    void anExpiredUserLeavesNoStateAndNoTimerAndAnActiveOneKeepsOneTimer() throws Exception {
        WindowsConfig config = Fixtures.config(50);
        open(config, null);
        long ttl = config.userTtl().toSeconds();
        send(watch("a", "u1", "v1", 0.1, 0), "cb-1", 1, 0);
        send(like("b", "u1", "v2", ttl - 10), "cb-1", 2, 0);
        // an excluded type enters no history but is activity: it must expire with its user too
        send(engagement("imp", "u2", "v3", EventType.IMPRESSION, 0, 5), "cb-1", 3, 0);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numEventTimeTimers()).isEqualTo(2);

        // u1's first timer fires while u1 is still active: it is moved, not doubled; u2 expires
        harness.processWatermark(new Watermark(Fixtures.T0.plusSeconds(ttl + 5).toEpochMilli()));
        assertThat(harness.numKeyedStateEntries()).isOne();
        assertThat(harness.numEventTimeTimers()).isOne();

        harness.processWatermark(
                new Watermark(Fixtures.T0.plusSeconds(2 * ttl - 10).toEpochMilli()));
        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void theHistorySurvivesASnapshotAndRestore() throws Exception {
        open(Fixtures.config(50), null);
        send(watch("a", "u1", "v1", 0.1, 0), "cb-1", 1, 0);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.close();

        open(Fixtures.config(50), snapshot);
        send(like("b", "u1", "v2", 1), "cb-1", 2, 0);
        assertThat(harness.extractOutputValues())
                .singleElement()
                .satisfies(e -> assertThat(e.getHistory())
                        .extracting(HistoryItem::getVideoId)
                        .containsExactly("v1"));
    }

    @Test
    void theHourOfDayIsUtcAndWrapsAtMidnight() {
        for (String at : new String[] {
            "2026-11-01T00:00:00Z", "2026-11-01T23:59:59.999Z", "2026-11-01T13:30:00Z", "1969-12-31T22:15:00Z"
        }) {
            java.time.Instant instant = java.time.Instant.parse(at);
            assertThat(UserHistory.hourOfDay(instant.toEpochMilli()))
                    .as(at)
                    .isEqualTo(instant.atOffset(java.time.ZoneOffset.UTC).getHour());
        }
    }

    private void open(WindowsConfig config, OperatorSubtaskState restoreFrom) throws Exception {
        harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new UserHistory(config)),
                resolved -> resolved.engagement.getUserId(),
                Types.STRING);
        harness.setup();
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
    }

    private void send(Engagement engagement, String version, Integer... codes) throws Exception {
        int[] sid = java.util.Arrays.stream(codes).mapToInt(Integer::intValue).toArray();
        harness.processElement(new StreamRecord<>(
                new ResolvedEngagement(engagement, sid, version),
                engagement.getEventTime().toEpochMilli()));
    }
}
