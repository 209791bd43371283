package io.sidstream.serving.trie;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.schemas.TrieUpdate;
import io.sidstream.schemas.TrieUpdateKind;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import io.sidstream.schemas.serde.WireFormatException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where a subscriber starts reading a trie partition: at the newest snapshot of every codebook version found
 * there, scanning back from the end a window at a time, so a late subscriber replays only what followed them.
 */
final class SnapshotLocator {

    static final int WINDOW = 2_000;

    private final SidstreamConfig config;

    SnapshotLocator(SidstreamConfig config) {
        this.config = config;
    }

    /** Per partition: where to start so that the newest snapshot of every version there is read. */
    Map<TopicPartition, Long> startOffsets(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> starts = new HashMap<>();
        newestSnapshots(partitions)
                .forEach((tp, snapshots) -> starts.put(
                        tp, snapshots.values().stream().min(Long::compare).orElse(-1L)));
        return starts;
    }

    /**
     * Per partition, the offset of the first chunk of the newest snapshot of each codebook version in it
     * (partitions with none map to an empty map: start at their beginning).
     */
    Map<TopicPartition, Map<String, Long>> newestSnapshots(List<TopicPartition> partitions) {
        AvroWireDeserializer<TrieUpdate> values = AvroWireDeserializer.create(config.registry(), TrieUpdate.class);
        Map<TopicPartition, Map<String, Long>> starts = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                config.kafka().consumer("trie-locator-" + UUID.randomUUID()),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition tp : partitions) {
                starts.put(tp, locate(consumer, values, tp, begin.get(tp), end.get(tp)));
            }
        }
        return starts;
    }

    private static Map<String, Long> locate(
            KafkaConsumer<byte[], byte[]> consumer,
            AvroWireDeserializer<TrieUpdate> values,
            TopicPartition tp,
            long begin,
            long end) {
        Map<String, Long> newestSnapshot = new HashMap<>();
        Set<String> seen = new HashSet<>();
        long hi = end;
        while (hi > begin) {
            long lo = Math.max(begin, hi - WINDOW);
            consumer.seek(tp, lo);
            while (consumer.position(tp) < hi) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (record.offset() >= hi) {
                        break;
                    }
                    try {
                        TrieUpdate update = values.deserialize(record.topic(), record.value());
                        seen.add(update.getCodebookVersion());
                        if (update.getKind() == TrieUpdateKind.SNAPSHOT && update.getChunkIndex() == 0) {
                            newestSnapshot.merge(update.getCodebookVersion(), record.offset(), Math::max);
                        }
                    } catch (WireFormatException e) {
                        // the subscriber's own pass dead-letters it
                    }
                }
            }
            if (!seen.isEmpty() && newestSnapshot.keySet().containsAll(seen)) {
                break;
            }
            hi = lo;
        }
        return newestSnapshot;
    }
}
