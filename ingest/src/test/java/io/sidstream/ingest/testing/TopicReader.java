package io.sidstream.ingest.testing;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic, up to its end offsets at the time of the call: exactly what is there, duplicates included. */
public final class TopicReader {

    private TopicReader() {
    }

    public static <V extends SpecificRecord> List<V> readToEnd(SidstreamConfig config, String topic, Class<V> type) {
        return readToEnd(config, topic, type, v -> true);
    }

    public static <V extends SpecificRecord> List<V> readToEnd(SidstreamConfig config, String topic, Class<V> type,
                                                               Predicate<V> filter) {
        AvroWireDeserializer<V> values = AvroWireDeserializer.create(config.registry(), type);
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                config.kafka().consumer("test-to-end-" + UUID.randomUUID()), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!reached(consumer, end) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    V value = values.deserialize(r.topic(), r.value());
                    if (filter.test(value)) {
                        out.add(value);
                    }
                }
            }
            if (!reached(consumer, end)) {
                throw new AssertionError("could not read " + topic + " to its end " + end);
            }
        }
        return out;
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
