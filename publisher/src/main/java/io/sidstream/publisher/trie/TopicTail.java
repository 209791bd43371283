package io.sidstream.publisher.trie;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.TopicScan;
import io.sidstream.schemas.TrieUpdate;
import io.sidstream.schemas.serde.AvroWireDeserializer;
import io.sidstream.schemas.serde.WireFormatException;
import java.util.HashMap;
import java.util.Map;

/** The last sequence number per codebook version among the newest records of the trie topic. */
final class TopicTail {

    /** How far back to look; a version whose last update is older restarts its numbering with a snapshot. */
    static final int WINDOW = 5_000;

    private TopicTail() {}

    static Map<String, Long> lastSequences(SidstreamConfig config, String topic) {
        Map<String, Long> last = new HashMap<>();
        try (AvroWireDeserializer<TrieUpdate> values =
                AvroWireDeserializer.create(config.registry(), TrieUpdate.class)) {
            TopicScan.tail(config, topic, WINDOW, record -> {
                try {
                    TrieUpdate update = values.deserialize(record.topic(), record.value());
                    last.merge(update.getCodebookVersion(), update.getSequence(), Math::max);
                } catch (WireFormatException e) {
                    // not ours to dead-letter: the subscribers' shared consumer path does that
                }
            });
        }
        return last;
    }
}
