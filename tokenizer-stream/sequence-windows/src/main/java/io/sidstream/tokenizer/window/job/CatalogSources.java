package io.sidstream.tokenizer.window.job;

import io.sidstream.core.config.SidstreamConfig;
import io.sidstream.core.topic.Topic;
import io.sidstream.flink.kafka.AvroKafkaDeserializer;
import io.sidstream.schemas.DeadLetter;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * Sources over the compacted catalog topics (sid-assignments, video-removals). Unlike an event source these always
 * start from the earliest offset and never commit: the topic is the catalog, so a job without a checkpoint must read
 * all of it to rebuild its join state; with a checkpoint the source resumes from the offsets in it.
 */
public final class CatalogSources {

    private CatalogSources() {}

    public static <T extends SpecificRecordBase> KafkaSource<Either<DeadLetter, T>> fromEarliest(
            SidstreamConfig config, Topic topic, Class<T> type, String groupId, String stage) {
        if (!topic.valueType().equals(type)) {
            throw new IllegalArgumentException("topic " + topic.topicName() + " carries "
                    + topic.valueType().getSimpleName());
        }
        Properties properties = new Properties();
        config.kafka().consumer(groupId).forEach((key, value) -> properties.setProperty(key, String.valueOf(value)));
        properties.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
        return KafkaSource.<Either<DeadLetter, T>>builder()
                .setBootstrapServers(config.kafka().bootstrapServers())
                .setProperties(properties)
                .setGroupId(groupId)
                .setTopics(topic.topicName())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setProperty("commit.offsets.on.checkpoint", "false")
                .setDeserializer(new AvroKafkaDeserializer<>(config.registry(), type, stage))
                .build();
    }
}
