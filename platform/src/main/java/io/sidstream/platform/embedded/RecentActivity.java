package io.sidstream.platform.embedded;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.schemas.VideoUploaded;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the status page needs to show a user's recommendations: video titles (from {@code video-uploads}) and each
 * user's latest history (from {@code training-examples}, the history the model itself is trained on). Both are kept in
 * bounded, least-recently-updated maps. (The engagement-to-example freshness is the sequence-windows job's own
 * metric, recorded where the example is made.)
 */
final class RecentActivity implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RecentActivity.class);
    private static final int MAX_VIDEOS = 500_000;
    private static final int MAX_USERS = 100_000;

    /** A user's most recent videos, oldest first, and the context of their latest engagement. */
    record UserActivity(List<String> videos, String surface, String device, String country) {}

    private final SidstreamConfig config;
    private final Map<String, String> titles = lru(MAX_VIDEOS);
    private final Map<String, UserActivity> users = lru(MAX_USERS);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private volatile KafkaConsumer<String, byte[]> consumer;

    RecentActivity(SidstreamConfig config) {
        this.config = config;
    }

    @Override
    public void run() {
        AvroWireDeserializer<VideoUploaded> uploads =
                AvroWireDeserializer.create(config.registry(), VideoUploaded.class);
        AvroWireDeserializer<TrainingExample> examples =
                AvroWireDeserializer.create(config.registry(), TrainingExample.class);
        Map<String, Object> props = config.kafka().consumer("sidstream-up-status-" + java.util.UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        try (KafkaConsumer<String, byte[]> kafka =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = kafka;
            kafka.subscribe(List.of(Topic.VIDEO_UPLOADS.topicName(), Topic.TRAINING_EXAMPLES.topicName()));
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(500))) {
                    if (record.value() == null) {
                        continue;
                    }
                    try {
                        if (record.topic().equals(Topic.VIDEO_UPLOADS.topicName())) {
                            VideoUploaded video = uploads.deserialize(record.topic(), record.value());
                            synchronized (titles) {
                                titles.put(video.getVideoId(), video.getTitle());
                            }
                        } else {
                            TrainingExample example = examples.deserialize(record.topic(), record.value());
                            remember(example);
                        }
                    } catch (RuntimeException e) {
                        // the jobs and the gateway dead-letter what they cannot read; this reader only watches
                        LOG.debug(
                                "status reader skips {}-{}@{}: {}",
                                record.topic(),
                                record.partition(),
                                record.offset(),
                                e.toString());
                    }
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer = null;
        }
    }

    void stop() {
        running.set(false);
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    private void remember(TrainingExample example) {
        List<String> videos = new ArrayList<>(example.getHistory().size() + 1);
        for (HistoryItem item : example.getHistory()) {
            videos.add(item.getVideoId());
        }
        videos.add(example.getTargetVideoId());
        var context = example.getContext();
        UserActivity activity = new UserActivity(
                List.copyOf(videos),
                str(context.getSurface()),
                str(context.getDevice()),
                context.getCountry() == null ? null : context.getCountry().toString());
        synchronized (users) {
            users.put(example.getUserId(), activity);
        }
    }

    Optional<UserActivity> user(String userId) {
        synchronized (users) {
            return Optional.ofNullable(users.get(userId));
        }
    }

    /** A few users with a history, for the status page's hint. */
    List<String> someUsers(int n) {
        synchronized (users) {
            List<String> all = new ArrayList<>(users.keySet());
            return all.subList(Math.max(0, all.size() - n), all.size());
        }
    }

    String title(String videoId) {
        synchronized (titles) {
            return titles.get(videoId);
        }
    }

    private static String str(Object value) {
        return value == null ? null : value.toString();
    }

    private static <K, V> Map<K, V> lru(int max) {
        return new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }
}
