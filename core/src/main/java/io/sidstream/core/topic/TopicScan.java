package io.sidstream.core.topic;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what a topic holds now: every partition from its beginning (or its last records) up to the end offsets it had
 * when the scan began, as committed records (read_committed), in partition order. No consumer group is joined and
 * nothing is committed: a look at the topic, for start-up state (what is published already, the last sequence
 * numbers) and for tests.
 */
public final class TopicScan {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private TopicScan() {}

    /** Every record from the beginning; tombstones included (a null value). */
    public static void all(SidstreamConfig config, String topic, Consumer<ConsumerRecord<String, byte[]>> each) {
        tail(config, topic, Long.MAX_VALUE, each);
    }

    /** At most the last {@code perPartition} records of each partition; tombstones included. */
    public static void tail(
            SidstreamConfig config, String topic, long perPartition, Consumer<ConsumerRecord<String, byte[]>> each) {
        Map<String, Object> props = config.kafka().consumer("sidstream-scan-" + UUID.randomUUID());
        // codebooks and snapshot chunks are larger than the default fetch sizes
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Topic.LARGE_RECORD_BYTES);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Topic.LARGE_RECORD_BYTES);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist: run 'sidstream topics' first");
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            partitions.forEach(p ->
                    consumer.seek(p, Math.max(begin.get(p), end.get(p) - Math.min(perPartition, end.get(p)))));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end offsets " + end
                            + " within " + TIMEOUT.toSeconds() + " s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(each);
            }
        }
    }

    /** Every value from the beginning, decoded; tombstones skipped. A record that does not decode is an error. */
    public static <V extends SpecificRecord> List<V> values(SidstreamConfig config, String topic, Class<V> type) {
        List<V> out = new ArrayList<>();
        try (AvroWireDeserializer<V> decoder = AvroWireDeserializer.create(config.registry(), type)) {
            all(config, topic, record -> {
                if (record.value() != null) {
                    out.add(decoder.deserialize(record.topic(), record.value()));
                }
            });
        }
        return out;
    }
}
