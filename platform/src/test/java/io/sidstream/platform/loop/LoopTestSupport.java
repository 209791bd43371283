package io.sidstream.platform.loop;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.core.topic.TopicScan;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;

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
        return TopicScan.values(config, topic.topicName(), type);
    }
}
