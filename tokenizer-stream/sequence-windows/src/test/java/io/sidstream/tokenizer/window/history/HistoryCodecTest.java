package io.sidstream.tokenizer.window.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class HistoryCodecTest {

    @Test
    void aHistoryRoundTripsFieldByField() {
        HistoryEntry entry = new HistoryEntry();
        entry.eventId = "e-1";
        entry.videoId = "vidé-ü";
        entry.sid = new int[] {255, 0, 65_536, 3};
        entry.codebookVersion = "cb-2";
        entry.eventType = EventType.SHARE;
        entry.watchBucket = 10;
        entry.surface = Surface.WATCH_NEXT;
        entry.device = Device.TV;
        entry.eventTime = 1_795_000_000_123L;

        List<HistoryEntry> decoded = HistoryCodec.decode(HistoryCodec.encode(List.of(entry, entry)));

        assertThat(decoded).hasSize(2);
        assertThat(decoded.get(1)).usingRecursiveComparison().isEqualTo(entry);
        assertThat(HistoryCodec.decode(null)).isEmpty();
        assertThat(HistoryCodec.decode(HistoryCodec.encode(List.of()))).isEmpty();
    }

    @Test
    void everyKindOfValueRoundTrips() {
        SplittableRandom random = new SplittableRandom(11);
        String uuid = TestEntries.uuid(random);
        String[] eventIds = {
            uuid,
            uuid.toUpperCase(Locale.ROOT),
            uuid.replace("-", ""),
            "{" + uuid + "}",
            "",
            "e-7",
            "événement-идентификатор-😀",
            uuid.substring(0, 35) + "g",
            "1-2-3-4-5",
            "x".repeat(300)
        };
        String[] videoIds = {"", "v", "vidé-ü-視頻", "v".repeat(200), "0123456789"};
        int[][] sids = {{}, {0}, {254, 255, 256}, {3, 1, 4, 1_000}, {65_536, 1 << 21, Integer.MAX_VALUE}};
        String[] codebooks = {"", "cb-1", "codebook-ü", TestEntries.CODEBOOK};
        long[] times = {Long.MIN_VALUE, -1, 0, 1_795_000_000_123L, Long.MAX_VALUE};
        List<HistoryEntry> entries = new ArrayList<>();
        for (int n = 0; n < 120; n++) {
            HistoryEntry entry = new HistoryEntry();
            entry.eventId = eventIds[n % eventIds.length];
            entry.videoId = videoIds[n % videoIds.length];
            entry.sid = sids[n % sids.length];
            entry.codebookVersion = codebooks[n % codebooks.length];
            entry.eventType = EventType.values()[n % EventType.values().length];
            entry.watchBucket = n % 3 == 0 ? 255 : n % 11;
            entry.surface = Surface.values()[n % Surface.values().length];
            entry.device = Device.values()[n % Device.values().length];
            entry.eventTime = times[n % times.length];
            entries.add(entry);
        }

        assertThat(HistoryCodec.decode(HistoryCodec.encode(entries)))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(entries);
    }

    @Test
    void manyCodebookVersionsGetIndicesBeyondOneByte() {
        SplittableRandom random = new SplittableRandom(12);
        List<HistoryEntry> entries = new ArrayList<>();
        for (int n = 0; n < 400; n++) {
            HistoryEntry entry = TestEntries.typical(random, n);
            entry.codebookVersion = "cb-" + n;
            entries.add(entry);
        }
        byte[] encoded = HistoryCodec.encode(entries);

        assertThat(StoredHistory.of(encoded).stringCount()).isGreaterThan(400);
        assertThat(HistoryCodec.decode(encoded))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(entries);
    }

    @Test
    void onlyCanonicalLowercaseUuidsAreStoredAsSixteenBytes() {
        // the hand-written check against the definition UUID.fromString(id).toString().equals(id), on UUIDs and
        // on strings one edit away from one
        SplittableRandom random = new SplittableRandom(13);
        String alphabet = "0123456789abcdefABCDEF-xg ";
        for (int n = 0; n < 5_000; n++) {
            char[] id = TestEntries.uuid(random).toCharArray();
            if (n % 2 == 1) {
                id[random.nextInt(id.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String candidate = n % 7 == 3 ? new String(id, 0, random.nextInt(id.length)) : new String(id);
            UUID parsed = HistoryCodec.canonicalUuid(candidate);
            assertThat(parsed != null).as(candidate).isEqualTo(isCanonical(candidate));
            if (parsed != null) {
                assertThat(parsed.toString()).isEqualTo(candidate);
            }
        }
        assertThat(HistoryCodec.canonicalUuid("1-1-1-1-1")).isNull();

        HistoryEntry canonical = TestEntries.typical(new SplittableRandom(1), 1);
        HistoryEntry upper = TestEntries.typical(new SplittableRandom(1), 1);
        upper.eventId = canonical.eventId.toUpperCase(Locale.ROOT);
        int[] indices = {0, 1, 2, 3};
        // the upper-case id keeps its 36 bytes after a tag; the canonical one takes 16 after a tag
        assertThat(HistoryCodec.encodeEntry(upper, indices).length
                        - HistoryCodec.encodeEntry(canonical, indices).length)
                .isEqualTo(36 - 16);
    }

    @Test
    void badValuesAreRejectedWhenWritten() {
        HistoryEntry entry = TestEntries.typical(new SplittableRandom(14), 1);
        entry.sid = new int[] {1, -1};
        assertThatThrownBy(() -> HistoryCodec.encode(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SID code -1 is negative");
        entry.sid = new int[] {1};
        entry.watchBucket = 256;
        assertThatThrownBy(() -> HistoryCodec.encode(List.of(entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("watch bucket 256");
    }

    @Test
    void formatTwoStateIsReadAndRewrittenAsFormatThree() {
        SplittableRandom random = new SplittableRandom(15);
        List<HistoryEntry> entries = new ArrayList<>();
        for (int n = 0; n < 30; n++) {
            HistoryEntry entry = TestEntries.typical(random, 1_000L * n);
            if (n % 5 == 0) {
                entry.eventId = "legacy-" + n;
                entry.codebookVersion = "cb-old";
            }
            entries.add(entry);
        }
        byte[] v2 = HistoryCodecV2ForTests.encode(1_795_000_000_000L, 1_795_600_000_000L, entries);

        StoredHistory read = StoredHistory.of(v2);
        assertThat(read.lastActivity()).isEqualTo(1_795_000_000_000L);
        assertThat(read.expiryTimer()).isEqualTo(1_795_600_000_000L);
        assertThat(HistoryCodec.decode(v2))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(entries);

        byte[] touched = read.withActivity(5, 6);
        HistoryEntry added = TestEntries.typical(random, 30_000);
        byte[] grown = read.with(read.position(added.eventTime, added.eventId), added, 30, 7, 8);
        assertThat(touched[0]).isEqualTo(HistoryCodec.VERSION);
        assertThat(grown[0]).isEqualTo(HistoryCodec.VERSION);
        assertThat(HistoryCodec.decode(touched))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(entries);
        List<HistoryEntry> expected = new ArrayList<>(entries.subList(1, entries.size()));
        expected.add(added);
        assertThat(HistoryCodec.decode(grown))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(expected);
        assertThat(StoredHistory.of(grown).lastActivity()).isEqualTo(7);
        assertThat(StoredHistory.of(HistoryCodecV2ForTests.encode(3, HistoryCodec.NO_TIMER, List.of()))
                        .size())
                .isZero();
    }

    @Test
    void aTypicalHistoryTakesAtMostFortyPercentOfFormatTwo() {
        SplittableRandom random = new SplittableRandom(16);
        List<HistoryEntry> entries = new ArrayList<>();
        long time = 1_795_000_000_000L;
        for (int n = 0; n < 50; n++) {
            time += random.nextInt(600_000);
            entries.add(TestEntries.typical(random, time));
        }

        int v2 = HistoryCodecV2ForTests.encode(time, time + 1, entries).length;
        int v3 = HistoryCodec.encode(entries).length;

        assertThat(v3).as("format 3 %d bytes against format 2 %d", v3, v2).isLessThanOrEqualTo(v2 * 2 / 5);
    }

    @Test
    void anUnknownFormatIsAnErrorNotGarbage() {
        assertThatThrownBy(() -> HistoryCodec.decode(new byte[] {9, 0, 0}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("format 9");
        assertThatThrownBy(() -> HistoryCodec.decode(new byte[0]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("format (empty)");
        assertThatThrownBy(() -> HistoryCodec.decode(new byte[] {(byte) 0xFF}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("format -1");
    }

    @Test
    void aTruncatedOrPaddedStateIsAnError() {
        SplittableRandom random = new SplittableRandom(17);
        byte[] v3 = HistoryCodec.encode(List.of(TestEntries.typical(random, 1), TestEntries.typical(random, 2)));
        byte[] v2 = HistoryCodecV2ForTests.encode(0, 0, List.of(TestEntries.typical(random, 1)));
        for (byte[] whole : List.of(v3, v2)) {
            for (int length : new int[] {1, 10, whole.length / 2, whole.length - 1, whole.length + 1}) {
                byte[] broken = Arrays.copyOf(whole, length);
                assertThatThrownBy(() -> HistoryCodec.decode(broken))
                        .as("%d of %d bytes", length, whole.length)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("corrupt history state");
            }
        }
    }

    private static boolean isCanonical(String id) {
        try {
            return UUID.fromString(id).toString().equals(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
