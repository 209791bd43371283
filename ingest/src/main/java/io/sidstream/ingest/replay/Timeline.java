package io.sidstream.ingest.replay;

import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.VideoUploaded;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

/**
 * A dataset in event-time order, as the events replay publishes: each item's upload at its own time or 1 ms before
 * its first interaction (items nobody interacted with and without a time go first), then every interaction as an
 * engagement. Ties keep uploads before engagements and file order otherwise, so the order is the same every run,
 * which is what lets {@code --resume} continue by position.
 */
public final class Timeline {

    /** One event to publish. */
    public record Entry(long time, SpecificRecord event) {}

    private Timeline() {}

    public static List<Entry> of(Dataset dataset, Duration defaultDuration) {
        Map<String, Long> firstInteraction = new HashMap<>();
        long earliest = Long.MAX_VALUE;
        for (Interaction i : dataset.interactions()) {
            firstInteraction.merge(i.itemId(), i.time(), Math::min);
            earliest = Math.min(earliest, i.time());
        }
        List<Sortable> all =
                new ArrayList<>(dataset.items().size() + dataset.interactions().size());
        long order = 0;
        Map<String, Long> durations = new HashMap<>();
        for (Item item : dataset.items().values()) {
            Long first = firstInteraction.get(item.id());
            long time = item.uploadTime() != null
                    ? item.uploadTime()
                    : first != null ? first - 1 : earliest == Long.MAX_VALUE ? 0 : earliest - 1;
            long duration = item.durationMs() != null ? item.durationMs() : defaultDuration.toMillis();
            durations.put(item.id(), duration);
            all.add(new Sortable(time, 0, order++, upload(item, time, duration)));
        }
        for (Interaction i : dataset.interactions()) {
            all.add(new Sortable(i.time(), 1, order++, engagement(i, durations.get(i.itemId()))));
        }
        all.sort(Comparator.comparingLong(Sortable::time)
                .thenComparingInt(Sortable::rank)
                .thenComparingLong(Sortable::order));
        List<Entry> out = new ArrayList<>(all.size());
        for (Sortable s : all) {
            out.add(new Entry(s.time(), s.event()));
        }
        return out;
    }

    static VideoUploaded upload(Item item, long time, long duration) {
        return VideoUploaded.newBuilder()
                .setVideoId(item.id())
                .setCreatorId(item.creatorId())
                .setTitle(item.title() == null ? "" : item.title())
                .setDescription(item.description() == null ? "" : item.description())
                .setTags(item.tags())
                .setLanguage(null)
                .setDurationMs(duration)
                .setUploadTime(Instant.ofEpochMilli(time))
                .setContentEmbedding(item.embedding())
                .setEmbeddingModel(item.embedding() == null ? null : item.embeddingModel())
                .build();
    }

    static Engagement engagement(Interaction i, long duration) {
        double fraction = i.watchFraction() != null ? i.watchFraction() : i.eventType() == EventType.WATCH ? 1.0 : 0.0;
        return Engagement.newBuilder()
                .setEventId(i.eventId())
                .setUserId(i.userId())
                .setVideoId(i.itemId())
                .setEventType(i.eventType())
                .setWatchTimeMs(Math.round(duration * fraction))
                .setVideoDurationMs(duration)
                .setSurface(i.surface())
                .setDevice(i.device())
                .setCountry(i.country())
                .setEventTime(Instant.ofEpochMilli(i.time()))
                .setContextVideoId(null)
                .build();
    }

    private record Sortable(long time, int rank, long order, SpecificRecord event) {}
}
