package io.sidstream.tokenizer.window.history;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;
import java.util.SplittableRandom;
import java.util.UUID;

/** History entries the codec tests are made of, drawn from a seeded random source. */
final class TestEntries {

    /** A codebook version as sid-assign names them: about 35 characters, the same in every entry. */
    static final String CODEBOOK = "rq-kmeans-256x3-2026-11-23T10:00:00Z";

    private static final EventType[] HISTORY_TYPES = {
        EventType.CLICK,
        EventType.WATCH,
        EventType.WATCH,
        EventType.WATCH,
        EventType.LIKE,
        EventType.SHARE,
        EventType.SKIP
    };

    private TestEntries() {}

    /** A canonical (lowercase) UUID string. */
    static String uuid(SplittableRandom random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    /** What a user's history mostly holds: UUID event id, a 10-character video id, 3 codes and a collision token. */
    static HistoryEntry typical(SplittableRandom random, long eventTime) {
        HistoryEntry entry = new HistoryEntry();
        entry.eventId = uuid(random);
        entry.videoId = String.format("v%09d", random.nextInt(1_000_000_000));
        entry.sid = new int[] {random.nextInt(256), random.nextInt(256), random.nextInt(256), random.nextInt(3)};
        entry.codebookVersion = CODEBOOK;
        entry.eventType = HISTORY_TYPES[random.nextInt(HISTORY_TYPES.length)];
        entry.watchBucket = random.nextInt(11);
        entry.surface = Surface.values()[random.nextInt(Surface.values().length)];
        entry.device = Device.values()[random.nextInt(Device.values().length)];
        entry.eventTime = eventTime;
        return entry;
    }
}
