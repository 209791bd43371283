package io.sidstream.core.deadletter;

import io.sidstream.core.config.KafkaClientConfig;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import io.sidstream.schemas.serde.RegistryConfig;
import io.sidstream.schemas.serde.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way sidstream's plain Kafka consumers read a topic: raw bytes in, decoded records out. A record that
 * cannot be decoded (bad magic byte, unknown schema id, truncated Avro...) goes to the topic's dead-letter topic with
 * its reason and coordinates and is counted; it never stops the consumer. A record that fails because the registry
 * cannot be reached is not dead-lettered: its partition is rewound to it and retried on a later poll.
 *
 * <p>Offsets are committed only by {@link #commit()}, after the caller has processed what poll returned and after
 * every dead letter is durably written, so nothing is lost across a restart.
 */
public final class DecodingConsumer<V extends SpecificRecord> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DecodingConsumer.class);

    private final Consumer<byte[], byte[]> consumer;
    private final AvroWireDeserializer<V> deserializer;
    private final DeadLetterSink deadLetters;
    private final String stage;
    private final Duration registryRetryBackoff;
    private long deadLettered;

    public DecodingConsumer(
            KafkaClientConfig kafka, RegistryConfig registry, String groupId, Class<V> type, String stage) {
        this(kafka, registry, groupId, type, stage, Duration.ofMillis(500));
    }

    public DecodingConsumer(
            KafkaClientConfig kafka,
            RegistryConfig registry,
            String groupId,
            Class<V> type,
            String stage,
            Duration registryRetryBackoff) {
        this.consumer =
                new KafkaConsumer<>(kafka.consumer(groupId), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.deserializer = AvroWireDeserializer.create(registry, type);
        this.deadLetters = new DeadLetterSink(kafka, registry, groupId);
        this.stage = stage;
        this.registryRetryBackoff = registryRetryBackoff;
    }

    public void subscribe(Collection<String> topics) {
        consumer.subscribe(topics);
    }

    public void assign(Collection<TopicPartition> partitions) {
        consumer.assign(partitions);
    }

    /** The underlying consumer, for seeking and position queries; do not poll it directly. */
    public Consumer<byte[], byte[]> kafkaConsumer() {
        return consumer;
    }

    /** Records that decoded, in partition order; the rest went to the dead-letter topic. */
    public List<ConsumerRecord<String, V>> poll(Duration timeout) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(timeout);
        List<ConsumerRecord<String, V>> decoded = new ArrayList<>(batch.count());
        Set<TopicPartition> rewound = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> raw : batch) {
            TopicPartition tp = new TopicPartition(raw.topic(), raw.partition());
            if (rewound.contains(tp)) {
                continue; // re-read after the registry answers again
            }
            if (raw.value() == null) {
                // a tombstone on a compacted topic is compaction's way to delete a key, not an event; elsewhere it is
                // an empty event, kept and counted
                DeadLetters.nullValue(raw.topic(), raw.partition(), raw.offset(), raw.key(), stage)
                        .ifPresent(letter -> {
                            deadLetters.send(letter);
                            deadLettered++;
                        });
                continue;
            }
            try {
                V value = deserializer.deserialize(raw.topic(), raw.value());
                decoded.add(new ConsumerRecord<>(
                        raw.topic(),
                        raw.partition(),
                        raw.offset(),
                        raw.timestamp(),
                        raw.timestampType(),
                        raw.serializedKeySize(),
                        raw.serializedValueSize(),
                        key(raw.key()),
                        value,
                        raw.headers(),
                        raw.leaderEpoch()));
            } catch (WireFormatException e) {
                if (e.error().isTransient()) {
                    LOG.warn(
                            "{} at {}-{} offset {}; retrying in {} ms",
                            e.getMessage(),
                            raw.topic(),
                            raw.partition(),
                            raw.offset(),
                            registryRetryBackoff.toMillis());
                    consumer.seek(tp, raw.offset());
                    rewound.add(tp);
                } else {
                    deadLetters.send(DeadLetters.fromRecord(
                            raw.topic(),
                            raw.partition(),
                            raw.offset(),
                            raw.key(),
                            raw.value(),
                            e.error().name(),
                            e.getMessage(),
                            stage));
                    deadLettered++;
                }
            }
        }
        if (!rewound.isEmpty()) {
            sleep(registryRetryBackoff);
        }
        return decoded;
    }

    /** Makes the dead letters durable, then commits the positions of everything polled so far. */
    public void commit() {
        deadLetters.flush();
        consumer.commitSync();
    }

    /** Dead letters this consumer has written. */
    public long deadLettered() {
        return deadLettered;
    }

    @Override
    public void close() {
        try {
            deadLetters.close();
        } finally {
            consumer.close();
        }
    }

    private static String key(byte[] key) {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
