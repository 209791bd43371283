package io.sidstream.tokenizer.window.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StoredHistoryTest {

    @Test
    void insertsInEventTimeOrderAndKeepsTheLastEntriesLikeAList() {
        // the byte-level insert and trim against a plain sorted list, over a seeded random stream with
        // out-of-order arrivals, ties of event time and a history shorter than the stream
        SplittableRandom random = new SplittableRandom(7);
        int max = 5;
        List<HistoryEntry> expected = new ArrayList<>();
        byte[] stored = null;
        for (int n = 0; n < 200; n++) {
            HistoryEntry entry = entry("e" + random.nextInt(1_000), random.nextInt(40) * 1_000L, random.nextInt(4));
            StoredHistory history = StoredHistory.of(stored);
            int position = history.position(entry.eventTime, entry.eventId);

            int expectedPosition = 0;
            while (expectedPosition < expected.size() && expected.get(expectedPosition).isBefore(entry.eventTime, entry.eventId)) {
                expectedPosition++;
            }
            assertThat(position).isEqualTo(expectedPosition);
            expected.add(expectedPosition, entry);
            if (expected.size() > max) {
                expected.remove(0);
            }

            stored = history.with(position, entry, max, n, 1_000 + n);
            StoredHistory after = StoredHistory.of(stored);
            assertThat(after.lastActivity()).isEqualTo(n);
            assertThat(after.expiryTimer()).isEqualTo(1_000 + n);
            assertThat(HistoryCodec.decode(stored)).usingRecursiveFieldByFieldElementComparator().isEqualTo(expected);
            for (int i = 0; i < after.size(); i++) {
                assertThat(after.eventTime(i)).isEqualTo(expected.get(i).eventTime);
            }
        }
        assertThat(expected).isSortedAccordingTo(Comparator.comparingLong(e -> e.eventTime));
    }

    @Test
    void aNewHeaderKeepsTheEntries() {
        byte[] stored = StoredHistory.of(null).with(0, entry("a", 5, 1), 50, 5, 100);
        byte[] touched = StoredHistory.of(stored).withActivity(9, HistoryCodec.NO_TIMER);

        StoredHistory history = StoredHistory.of(touched);
        assertThat(history.exists()).isTrue();
        assertThat(history.lastActivity()).isEqualTo(9);
        assertThat(history.hasTimer()).isFalse();
        assertThat(HistoryCodec.decode(touched)).usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(HistoryCodec.decode(stored));
        assertThat(StoredHistory.of(null).exists()).isFalse();
        assertThat(StoredHistory.of(StoredHistory.of(null).withActivity(3, 4)).size()).isZero();
    }

    private static HistoryEntry entry(String eventId, long eventTime, int code) {
        HistoryEntry entry = new HistoryEntry();
        entry.eventId = eventId;
        entry.videoId = "v" + code;
        entry.sid = new int[] {code, code + 1, 0};
        entry.codebookVersion = "cb-1";
        entry.eventType = EventType.values()[code];
        entry.watchBucket = code;
        entry.surface = Surface.values()[code];
        entry.device = Device.values()[code];
        entry.eventTime = eventTime;
        return entry;
    }
}
