package io.sidstream.platform.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.core.config.ConfigLoader;
import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.testing.SampleRecords;
import io.sidstream.core.topic.Topic;
import io.sidstream.core.topic.TopicStatus;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import io.sidstream.schemas.serde.AvroWireSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `sidstream up` stands on: topics and schemas on the embedded broker, and a restart that resumes. */
class EmbeddedPlatformTest {

    @Test
    void restartOnTheSameDataDirectoryKeepsTopicsRecordsAndSchemaIds(@TempDir Path dataDir) throws Exception {
        SidstreamConfig configured = ConfigLoader.withOverrides(Map.of(
                "embedded.data-dir",
                dataDir.toString(),
                "embedded.kafka-port",
                "0",
                "embedded.controller-port",
                "0",
                "metrics.port",
                "0",
                "platform.run.jobs",
                "false",
                "platform.run.trainer",
                "false",
                "platform.run.serving",
                "false",
                "platform.run.gateway",
                "false",
                "platform.run.world",
                "false",
                "platform.status-port",
                "0"));

        Map<String, Integer> firstIds;
        try (EmbeddedPlatform platform = EmbeddedPlatform.start(configured)) {
            assertThat(platform.topics()).extracting(TopicStatus::state).containsOnly(TopicStatus.State.CREATED);
            assertThat(platform.topics())
                    .extracting(TopicStatus::topic)
                    .contains(Topic.ENGAGEMENTS.topicName(), Topic.ENGAGEMENTS.deadLetterTopic());
            firstIds = platform.schemaIds();
            produce(
                    platform.config(),
                    List.of(SampleRecords.engagement("e1", "u1", "v1"), SampleRecords.engagement("e2", "u2", "v2")));
        }

        try (EmbeddedPlatform platform = EmbeddedPlatform.start(configured)) {
            assertThat(platform.topics()).extracting(TopicStatus::state).containsOnly(TopicStatus.State.EXISTS);
            // the mock registry lives in the JVM: the same registration order gives the same ids, so records written
            // before the restart still decode
            assertThat(platform.schemaIds()).isEqualTo(firstIds);
            assertThat(readEngagements(platform.config(), 2)).containsExactlyInAnyOrder("e1", "e2");
        }
    }

    /**
     * Issue 23, finding 5: a bad value was refused only after the broker had started and the jobs had resumed and
     * committed; now nothing with state starts.
     */
    @Test
    void aBadValueStopsTheStartBeforeAnythingWithStateStarts(@TempDir Path dir) {
        Path dataDir = dir.resolve("data");
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "embedded.data-dir",
                dataDir.toString(),
                "embedded.kafka-port",
                "0",
                "embedded.controller-port",
                "0",
                "metrics.port",
                "0",
                "platform.status-port",
                "0",
                "ingest.gateway.auth-tokens",
                "too-short"));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> EmbeddedPlatform.start(ConfigLoader.withOverrides(settings)))
                .hasMessageContaining("ingest.gateway.auth-tokens");
        settings.put("ingest.gateway.auth-tokens", "");
        settings.put("trainer.cycle.max-steps", "0");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> EmbeddedPlatform.start(ConfigLoader.withOverrides(settings)))
                .hasMessageContaining("trainer.cycle.max-steps");
        assertThat(dataDir).as("the broker never started").doesNotExist();
    }

    private static void produce(SidstreamConfig config, List<Engagement> engagements) {
        try (KafkaProducer<String, Engagement> producer = new KafkaProducer<>(
                config.kafka().producer("platform-test"),
                new StringSerializer(),
                AvroWireSerializer.create(config.registry(), Engagement.class))) {
            engagements.forEach(
                    e -> producer.send(new ProducerRecord<>(Topic.ENGAGEMENTS.topicName(), e.getUserId(), e)));
            producer.flush();
        }
    }

    private static List<String> readEngagements(SidstreamConfig config, int expected) {
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, Engagement> consumer = new KafkaConsumer<>(
                config.kafka().consumer("platform-test"),
                new StringDeserializer(),
                AvroWireDeserializer.create(config.registry(), Engagement.class))) {
            consumer.subscribe(List.of(Topic.ENGAGEMENTS.topicName()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (ids.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Engagement> r : consumer.poll(Duration.ofMillis(200))) {
                    ids.add(r.value().getEventId());
                }
            }
        }
        return ids;
    }
}
