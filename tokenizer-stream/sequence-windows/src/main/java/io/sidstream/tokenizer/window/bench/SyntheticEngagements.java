package io.sidstream.tokenizer.window.bench;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.Surface;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded stream of engagements over a fixed catalog, for the benchmark and the restore test: users and videos
 * uniform, a realistic mix of event types (a fifth impressions, about a third positive), event times one step apart
 * so each user's events are in event-time order.
 */
public final class SyntheticEngagements {

    private static final Surface[] SURFACES = Surface.values();
    private static final Device[] DEVICES = Device.values();

    private final SplittableRandom random;
    private final String idPrefix;
    private final int users;
    private final int videos;
    private final long startMillis;
    private final long stepMillis;
    private long index;

    public SyntheticEngagements(long seed, int users, int videos, Instant start, long stepMillis) {
        this.random = new SplittableRandom(seed);
        this.idPrefix = "e" + seed + "-";
        this.users = users;
        this.videos = videos;
        this.startMillis = start.toEpochMilli();
        this.stepMillis = stepMillis;
    }

    public Engagement next() {
        return next(Instant.ofEpochMilli(startMillis + index * stepMillis));
    }

    /** The next engagement with the given event time (the benchmark's paced phase stamps the wall clock). */
    public Engagement next(Instant eventTime) {
        long i = index++;
        double roll = random.nextDouble();
        EventType type = roll < 0.20 ? EventType.IMPRESSION : roll < 0.30 ? EventType.CLICK : roll < 0.85 ? EventType.WATCH
                : roll < 0.93 ? EventType.LIKE : roll < 0.95 ? EventType.SHARE : EventType.SKIP;
        long duration = 10_000 + random.nextLong(590_000);
        long watched = type == EventType.WATCH ? (long) (duration * random.nextDouble()) : 0;
        return Engagement.newBuilder()
                .setEventId(idPrefix + i)
                .setUserId("u" + random.nextInt(users))
                .setVideoId(videoId(random.nextInt(videos)))
                .setEventType(type)
                .setWatchTimeMs(watched)
                .setVideoDurationMs(duration)
                .setSurface(SURFACES[random.nextInt(SURFACES.length)])
                .setDevice(DEVICES[random.nextInt(DEVICES.length)])
                .setCountry(random.nextBoolean() ? "DE" : "US")
                .setEventTime(eventTime)
                .setContextVideoId(random.nextInt(4) == 0 ? videoId(random.nextInt(videos)) : null)
                .build();
    }

    public int videos() {
        return videos;
    }

    public static String videoId(int i) {
        return "vid-" + i;
    }

    /** A SID for every video of the catalog under one codebook version (3 levels of 256 codes plus a collision token). */
    public static List<SidAssigned> catalog(int videos, String codebookVersion, Instant assignedTime) {
        List<SidAssigned> catalog = new ArrayList<>(videos);
        for (int v = 0; v < videos; v++) {
            catalog.add(SidAssigned.newBuilder()
                    .setVideoId(videoId(v))
                    .setCodes(List.of(v % 256, (v / 256) % 256, (v / 65_536) % 256, 0))
                    .setCodebookVersion(codebookVersion)
                    .setEmbeddingModel("synthetic")
                    .setUploadTime(assignedTime)
                    .setAssignedTime(assignedTime)
                    .build());
        }
        return catalog;
    }
}
