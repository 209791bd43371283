package io.sidstream.platform.loop;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the loop tests share: an embedded platform's settings in a temporary directory, and reading its topics. */
final class LoopTestSupport {

    private LoopTestSupport() {
    }

    /** Every port free, every file under {@code dir}. */
    static Map<String, String> embeddedSettings(Path dir) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("embedded.data-dir", dir.resolve("data").toString());
        settings.put("embedded.kafka-port", "0");
        settings.put("embedded.controller-port", "0");
        settings.put("metrics.port", "0");
        settings.put("platform.status-port", "0");
        settings.put("platform.world-position", dir.resolve("world.position").toString());
        settings.put("serving.port", "0");
        settings.put("ingest.gateway.port", "0");
        settings.put("ingest.replay.state-dir", dir.resolve("replay").toString());
        settings.put("flink.checkpoint-dir", dir.resolve("flink").toString());
        settings.put("sid.codebook-dir", dir.resolve("codebooks").toString());
        settings.put("trainer.checkpoint.dir", dir.resolve("checkpoints").toString());
        return settings;
    }

    /** Every committed record of a topic (tombstones aside), to its current end. */
    static <V extends SpecificRecord> List<V> read(SidstreamConfig config, Topic topic, Class<V> type) {
        AvroWireDeserializer<V> values = AvroWireDeserializer.create(config.registry(), type);
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config.kafka().consumer("test-" + UUID.randomUUID()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.topicName(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() != null) {
                        out.add(values.deserialize(record.topic(), record.value()));
                    }
                }
            }
        }
        return out;
    }
}
