package io.sidstream.ingest.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.sidstream.schemas.Device;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.RemovalReason;
import io.sidstream.schemas.Surface;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.VideoUploaded;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;

/**
 * Turns one JSON event into its Avro contract, checking every field: required fields, enum symbols, ranges, id
 * syntax, event times, and the content embedding's dimension and values. Field names are the contract's own.
 */
public final class EventMapper {

    static final Set<String> UPLOAD_FIELDS = Set.of(
            "videoId",
            "creatorId",
            "title",
            "description",
            "tags",
            "language",
            "durationMs",
            "uploadTime",
            "contentEmbedding",
            "embeddingModel");
    static final Set<String> ENGAGEMENT_FIELDS = Set.of(
            "eventId",
            "userId",
            "videoId",
            "eventType",
            "watchTimeMs",
            "videoDurationMs",
            "surface",
            "device",
            "country",
            "eventTime",
            "contextVideoId");
    static final Set<String> REMOVAL_FIELDS = Set.of("videoId", "reason", "removedTime");

    /** A day and a half: longer videos are live streams' recordings at most. */
    private static final long MAX_DURATION_MS = Duration.ofHours(36).toMillis();

    private final int embeddingDimension;
    private final Duration maxClockSkew;
    private final Clock clock;

    public EventMapper(int embeddingDimension, Duration maxClockSkew, Clock clock) {
        this.embeddingDimension = embeddingDimension;
        this.maxClockSkew = maxClockSkew;
        this.clock = clock;
    }

    public SpecificRecord map(IngestKind kind, JsonNode node) throws InvalidEventException {
        return switch (kind) {
            case UPLOADS -> upload(node);
            case ENGAGEMENTS -> engagement(node);
            case REMOVALS -> removal(node);
        };
    }

    /** The id that names an event in responses: event id of engagements, video id of the others. */
    public static String idOf(SpecificRecord event) {
        if (event instanceof Engagement e) {
            return e.getEventId();
        } else if (event instanceof VideoUploaded v) {
            return v.getVideoId();
        } else if (event instanceof VideoRemoved r) {
            return r.getVideoId();
        }
        throw new IllegalArgumentException(event.getClass().getName());
    }

    VideoUploaded upload(JsonNode node) throws InvalidEventException {
        JsonFields f = fields(node, UPLOAD_FIELDS);
        List<Float> embedding = f.embedding("contentEmbedding", embeddingDimension);
        String model = f.text("embeddingModel", null, 200);
        if (embedding != null && (model == null || model.isBlank())) {
            throw new InvalidEventException(
                    "embeddingModel is required with contentEmbedding (one codebook serves one embedding space)");
        }
        if (embedding == null && model != null) {
            throw new InvalidEventException("embeddingModel given without contentEmbedding");
        }
        return VideoUploaded.newBuilder()
                .setVideoId(f.id("videoId"))
                .setCreatorId(f.id("creatorId"))
                .setTitle(f.boundedText("title", 1_000))
                .setDescription(f.text("description", "", 20_000))
                .setTags(f.texts("tags", 100, 200))
                .setLanguage(f.language("language"))
                .setDurationMs(f.longValue("durationMs", 1, MAX_DURATION_MS, null))
                .setUploadTime(f.time("uploadTime"))
                .setContentEmbedding(embedding)
                .setEmbeddingModel(model)
                .build();
    }

    Engagement engagement(JsonNode node) throws InvalidEventException {
        JsonFields f = fields(node, ENGAGEMENT_FIELDS);
        long watch = f.longValue("watchTimeMs", 0, MAX_DURATION_MS * 10, 0L);
        long duration = f.longValue("videoDurationMs", 0, MAX_DURATION_MS, 0L);
        return Engagement.newBuilder()
                .setEventId(f.id("eventId"))
                .setUserId(f.id("userId"))
                .setVideoId(f.id("videoId"))
                .setEventType(f.enumValue("eventType", EventType.class, null))
                .setWatchTimeMs(watch)
                .setVideoDurationMs(duration)
                .setSurface(f.enumValue("surface", Surface.class, null))
                .setDevice(f.enumValue("device", Device.class, null))
                .setCountry(f.country("country"))
                .setEventTime(f.time("eventTime"))
                .setContextVideoId(f.optionalId("contextVideoId"))
                .build();
    }

    VideoRemoved removal(JsonNode node) throws InvalidEventException {
        JsonFields f = fields(node, REMOVAL_FIELDS);
        return VideoRemoved.newBuilder()
                .setVideoId(f.id("videoId"))
                .setReason(f.enumValue("reason", RemovalReason.class, RemovalReason.OTHER))
                .setRemovedTime(f.time("removedTime"))
                .build();
    }

    private JsonFields fields(JsonNode node, Set<String> known) throws InvalidEventException {
        return new JsonFields(node, known, clock.millis() + maxClockSkew.toMillis());
    }
}
