package io.sidstream.tokenizer.window.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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

            assertThat(position).isEqualTo(insertIntoModel(expected, entry, max));

            stored = history.with(position, entry, max, n, 1_000 + n);
            StoredHistory after = StoredHistory.of(stored);
            assertThat(after.lastActivity()).isEqualTo(n);
            assertThat(after.expiryTimer()).isEqualTo(1_000 + n);
            assertThat(HistoryCodec.decode(stored))
                    .usingRecursiveFieldByFieldElementComparator()
                    .isEqualTo(expected);
            for (int i = 0; i < after.size(); i++) {
                assertThat(after.eventTime(i)).isEqualTo(expected.get(i).eventTime);
            }
        }
        assertThat(expected).isSortedAccordingTo(Comparator.comparingLong(e -> e.eventTime));
    }

    /** The model: inserts {@code entry} at its event-time place, keeps the last {@code max}; returns the place. */
    private static int insertIntoModel(List<HistoryEntry> model, HistoryEntry entry, int max) {
        int position = 0;
        while (position < model.size() && model.get(position).isBefore(entry.eventTime, entry.eventId)) {
            position++;
        }
        model.add(position, entry);
        if (model.size() > max) {
            model.remove(0);
        }
        return position;
    }

    @Test
    void aNewHeaderKeepsTheEntries() {
        byte[] stored = StoredHistory.of(null).with(0, entry("a", 5, 1), 50, 5, 100);
        byte[] touched = StoredHistory.of(stored).withActivity(9, HistoryCodec.NO_TIMER);

        StoredHistory history = StoredHistory.of(touched);
        assertThat(history.exists()).isTrue();
        assertThat(history.lastActivity()).isEqualTo(9);
        assertThat(history.hasTimer()).isFalse();
        assertThat(HistoryCodec.decode(touched))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(HistoryCodec.decode(stored));
        assertThat(StoredHistory.of(null).exists()).isFalse();
        assertThat(StoredHistory.of(StoredHistory.of(null).withActivity(3, 4)).size())
                .isZero();
    }

    @Test
    void thousandsOfInsertsMatchASortedListModel() {
        // front, middle and end inserts, immediate drops, ties of event time between UUID and other ids, codebook
        // versions coming and going: the bytes must always decode to the model, a sorted list of the last max entries
        for (int max : new int[] {1, 7, 50}) {
            SplittableRandom random = new SplittableRandom(100 + max);
            List<HistoryEntry> expected = new ArrayList<>();
            byte[] stored = null;
            boolean tableShrank = false;
            for (int n = 0; n < 3_000; n++) {
                HistoryEntry entry = randomEntry(random, n, expected);
                StoredHistory history = StoredHistory.of(stored);
                int position = history.position(entry.eventTime, entry.eventId);

                assertThat(position).as("insert %d, max %d", n, max).isEqualTo(insertIntoModel(expected, entry, max));

                stored = history.with(position, entry, max, n, 10_000 + n);
                StoredHistory after = StoredHistory.of(stored);
                assertThat(after.lastActivity()).isEqualTo(n);
                assertThat(after.expiryTimer()).isEqualTo(10_000 + n);
                // compared as text: AssertJ's field-by-field comparison would take most of a minute here
                assertThat(describe(HistoryCodec.decode(stored)))
                        .as("insert %d, max %d", n, max)
                        .isEqualTo(describe(expected));
                for (int i = 0; i < after.size(); i++) {
                    assertThat(after.eventTime(i)).isEqualTo(expected.get(i).eventTime);
                }
                assertThat(after.stringCount())
                        .isLessThanOrEqualTo(
                                Math.max(HistoryCodec.tableLimit(after.size()), distinctStrings(expected)));
                tableShrank |= after.stringCount() < history.stringCount();
            }
            assertThat(tableShrank).as("the table was rebuilt at max %d", max).isTrue();
        }
    }

    @Test
    void anEntryIsInsertedByCopyingTheOthersAndTheTableOnlyGrows() {
        HistoryEntry first = entry("a", 1_000, 1);
        HistoryEntry second = entry("b", 2_000, 1);
        HistoryEntry third = entry("c", 3_000, 1);
        byte[] two = HistoryCodec.encode(List.of(first, third));

        // strings all known: the state is what encoding the three afresh gives
        byte[] three = StoredHistory.of(two).with(1, second, 50, 7, 8);
        assertThat(three).isEqualTo(HistoryCodec.assemble(7, 8, List.of(first, second, third)));

        // a new codebook version: appended to the table, the entries after it are the same bytes
        HistoryEntry newer = entry("d", 500, 1);
        newer.codebookVersion = "cb-2";
        StoredHistory before = StoredHistory.of(three);
        byte[] four = before.with(0, newer, 50, 9, 10);
        int entryBytes = 0;
        for (HistoryEntry e : List.of(first, second, third)) {
            entryBytes += HistoryCodec.encodeEntry(e, new int[] {0, 1, 2, 3}).length;
        }
        assertThat(Arrays.copyOfRange(four, four.length - entryBytes, four.length))
                .isEqualTo(Arrays.copyOfRange(three, three.length - entryBytes, three.length));
        assertThat(StoredHistory.of(four).stringCount()).isEqualTo(before.stringCount() + 1);
        assertThat(HistoryCodec.decode(four))
                .usingRecursiveFieldByFieldElementComparator()
                .containsExactly(newer, first, second, third);
    }

    @Test
    void oldCodebookVersionsLeaveTheTableOnceItPassesItsLimit() {
        int max = 3;
        byte[] stored = null;
        List<Integer> sizes = new ArrayList<>();
        for (int n = 0; n < 100; n++) {
            HistoryEntry entry = entry("e" + n, n, 1);
            entry.codebookVersion = "cb-" + n;
            StoredHistory history = StoredHistory.of(stored);
            stored = history.with(history.size(), entry, max, n, HistoryCodec.NO_TIMER);
            sizes.add(StoredHistory.of(stored).stringCount());
        }
        // 3 enum names and one version per entry; every new version is a new string
        assertThat(sizes).allSatisfy(size -> assertThat(size).isBetween(3 + 1, HistoryCodec.tableLimit(max)));
        assertThat(sizes).contains(3 + max);
        assertThat(HistoryCodec.decode(stored))
                .extracting(e -> e.codebookVersion)
                .containsExactly("cb-97", "cb-98", "cb-99");
    }

    private static HistoryEntry randomEntry(SplittableRandom random, int n, List<HistoryEntry> current) {
        HistoryEntry entry = TestEntries.typical(random, n * 500L + random.nextInt(-20_000, 1_000));
        int kind = random.nextInt(10);
        if (kind < 2) {
            entry.eventId = "e" + random.nextInt(100);
        } else if (kind < 3) {
            entry.eventId = entry.eventId.toUpperCase(Locale.ROOT);
        }
        if (!current.isEmpty() && random.nextInt(5) == 0) {
            entry.eventTime = current.get(random.nextInt(current.size())).eventTime;
        }
        entry.codebookVersion = random.nextInt(20) == 0 ? "cb-rare-" + random.nextInt(1_000) : "cb-" + n / 300;
        return entry;
    }

    private static List<String> describe(List<HistoryEntry> entries) {
        List<String> described = new ArrayList<>(entries.size());
        for (HistoryEntry e : entries) {
            described.add(String.join(
                    "|",
                    e.eventId,
                    e.videoId,
                    Arrays.toString(e.sid),
                    e.codebookVersion,
                    e.eventType.name(),
                    Integer.toString(e.watchBucket),
                    e.surface.name(),
                    e.device.name(),
                    Long.toString(e.eventTime)));
        }
        return described;
    }

    private static int distinctStrings(List<HistoryEntry> entries) {
        Set<String> strings = new HashSet<>();
        for (HistoryEntry entry : entries) {
            strings.addAll(
                    List.of(entry.codebookVersion, entry.eventType.name(), entry.surface.name(), entry.device.name()));
        }
        return strings.size();
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
