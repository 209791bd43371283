package io.sidstream.tokenizer.window;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.RemovalReason;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.Surface;
import io.sidstream.schemas.VideoRemoved;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Records and configurations the window tests script their streams with. */
public final class Fixtures {

    /** 2026-11-01T12:00:00Z: hour 12 UTC. */
    public static final Instant T0 = Instant.parse("2026-11-01T12:00:00Z");

    private Fixtures() {}

    public static WindowsConfig config(int historyLength) {
        return new WindowsConfig(
                "test",
                "test",
                historyLength,
                Set.of(EventType.IMPRESSION),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5),
                Duration.ofSeconds(60),
                Duration.ofSeconds(10),
                Duration.ofHours(1),
                Duration.ofDays(7),
                new PositiveRule(0.5, Set.of(EventType.LIKE, EventType.SHARE)),
                false,
                "",
                "hashmap",
                128);
    }

    /** A watch of {@code fraction} of a 100 s video, {@code secondsAfterT0} after T0. */
    public static Engagement watch(
            String eventId, String userId, String videoId, double fraction, long secondsAfterT0) {
        return engagement(eventId, userId, videoId, EventType.WATCH, (long) (fraction * 100_000), secondsAfterT0);
    }

    public static Engagement like(String eventId, String userId, String videoId, long secondsAfterT0) {
        return engagement(eventId, userId, videoId, EventType.LIKE, 0, secondsAfterT0);
    }

    public static Engagement engagement(
            String eventId, String userId, String videoId, EventType type, long watchTimeMs, long secondsAfterT0) {
        return Engagement.newBuilder()
                .setEventId(eventId)
                .setUserId(userId)
                .setVideoId(videoId)
                .setEventType(type)
                .setWatchTimeMs(watchTimeMs)
                .setVideoDurationMs(100_000)
                .setSurface(Surface.HOME)
                .setDevice(Device.TV)
                .setCountry("DE")
                .setEventTime(T0.plusSeconds(secondsAfterT0))
                .setContextVideoId(null)
                .build();
    }

    public static SidAssigned sid(String videoId, String codebookVersion, Integer... codes) {
        return SidAssigned.newBuilder()
                .setVideoId(videoId)
                .setCodes(List.of(codes))
                .setCodebookVersion(codebookVersion)
                .setEmbeddingModel("test-model")
                .setUploadTime(T0)
                .setAssignedTime(T0)
                .build();
    }

    public static VideoRemoved removed(String videoId) {
        return VideoRemoved.newBuilder()
                .setVideoId(videoId)
                .setReason(RemovalReason.COPYRIGHT)
                .setRemovedTime(T0)
                .build();
    }
}
