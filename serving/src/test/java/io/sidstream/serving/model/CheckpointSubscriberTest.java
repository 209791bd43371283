package io.sidstream.serving.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.KafkaTestSupport;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.CheckpointPublished;
import io.sidstream.schemas.serde.AvroWireSerializer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class CheckpointSubscriberTest {

    private static final Instant PUBLISHED = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void aLateNodeLoadsOnlyTheNewestVersionThenFollowsAndKeepsServingWhenOneIsRejected() throws Exception {
        try (KafkaTestSupport kafka = KafkaTestSupport.startWithCatalogTopics()) {
            SidstreamConfig config = kafka.config();
            announce(config, announcement("sidstream", 1, "ok"));
            announce(config, announcement("sidstream", 2, "ok"));
            announce(config, announcement("another-model", 9, "ok"));

            List<Long> loadedVersions = new CopyOnWriteArrayList<>();
            ModelHolder holder = new ModelHolder(
                    a -> {
                        if (a.getUri().contains("corrupt")) {
                            throw new IllegalStateException("manifest sha256 does not match the announcement");
                        }
                        loadedVersions.add(a.getVersion());
                        return new VersionedTestModel(a.getModelName(), a.getVersion(), a.getPublishedTime());
                    },
                    Clock.systemUTC());
            CheckpointSubscriber subscriber = new CheckpointSubscriber(config, "sidstream", "node-1", holder);
            Thread thread = new Thread(subscriber, "checkpoint-subscriber");
            thread.start();
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> holder.current().isPresent());
                assertThat(holder.current().get().version()).isEqualTo(2);

                announce(config, announcement("sidstream", 3, "ok"));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> holder.current().get().version() == 3);

                announce(config, announcement("sidstream", 4, "corrupt"));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> holder.lastRejection().isPresent());
                assertThat(holder.current().get().version()).isEqualTo(3);
                assertThat(loadedVersions).containsExactly(2L, 3L);
            } finally {
                subscriber.stop();
                thread.join(10_000);
                holder.close();
            }
        }
    }

    private static CheckpointPublished announcement(String model, long version, String kind) {
        return CheckpointPublished.newBuilder()
                .setModelName(model)
                .setVersion(version)
                .setUri("file:///checkpoints/" + kind + "-" + version)
                .setManifestSha256("0".repeat(64))
                .setCodebookVersion("cb1")
                .setMetrics(Map.of())
                .setDataWatermark(PUBLISHED)
                .setSourceOffsets(Map.of())
                .setParentVersion(null)
                .setPublishedTime(PUBLISHED)
                .build();
    }

    private static void announce(SidstreamConfig config, CheckpointPublished announcement) {
        try (KafkaProducer<String, CheckpointPublished> producer = new KafkaProducer<>(
                config.kafka().producer("checkpoint-test"),
                new StringSerializer(),
                AvroWireSerializer.create(config.registry(), CheckpointPublished.class))) {
            producer.send(
                    new ProducerRecord<>(Topic.CHECKPOINTS.topicName(), announcement.getModelName(), announcement));
            producer.flush();
        }
    }
}
