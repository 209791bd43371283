package io.sidstream.publisher.trie;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.schemas.TrieUpdate;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import io.sidstream.schemas.serde.WireFormatException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The last sequence number per codebook version among the newest records of the trie topic. */
final class TopicTail {

    /** How far back to look; a version whose last update is older restarts its numbering with a snapshot. */
    static final int WINDOW = 5_000;

    private TopicTail() {
    }

    static Map<String, Long> lastSequences(SidstreamConfig config, String topic) {
        Map<String, Long> last = new HashMap<>();
        AvroWireDeserializer<TrieUpdate> values = AvroWireDeserializer.create(config.registry(), TrieUpdate.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                config.kafka().consumer("trie-tail-" + UUID.randomUUID()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(CatchUp.partitions(consumer, topic));
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(consumer.assignment());
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            end.forEach((tp, e) -> consumer.seek(tp, Math.max(begin.get(tp), e - WINDOW)));
            CatchUp catchUp = new CatchUp(consumer);
            while (!catchUp.done()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    try {
                        TrieUpdate update = values.deserialize(record.topic(), record.value());
                        last.merge(update.getCodebookVersion(), update.getSequence(), Math::max);
                    } catch (WireFormatException e) {
                        // not ours to dead-letter: the subscribers' shared consumer path does that
                    }
                }
            }
        }
        return last;
    }
}
