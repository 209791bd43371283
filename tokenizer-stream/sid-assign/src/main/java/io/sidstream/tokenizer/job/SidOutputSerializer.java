package io.sidstream.tokenizer.job;

import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.SidAssigned;
import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.schemas.serde.RegistryConfig;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.types.Either;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes the job's output to {@code sid-assignments}, keyed by video id: a {@code SidAssigned} for an assignment
 * (right), a tombstone (null value) for a removed video (left), which compaction turns into the video's absence.
 */
public final class SidOutputSerializer implements KafkaRecordSerializationSchema<Either<String, SidAssigned>> {

    private static final long serialVersionUID = 1L;

    private final RegistryConfig registry;
    private transient AvroWireSerializer<SidAssigned> serializer;

    public SidOutputSerializer(RegistryConfig registry) {
        this.registry = registry;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serializer = AvroWireSerializer.create(registry, SidAssigned.class);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            Either<String, SidAssigned> element, KafkaSinkContext context, Long timestamp) {
        if (serializer == null) {
            open(null, context);
        }
        String topic = Topic.SID_ASSIGNMENTS.topicName();
        if (element.isLeft()) {
            return new ProducerRecord<>(
                    topic, null, timestamp, element.left().getBytes(StandardCharsets.UTF_8), (byte[]) null);
        }
        SidAssigned sid = element.right();
        return new ProducerRecord<>(
                topic,
                null,
                timestamp,
                sid.getVideoId().getBytes(StandardCharsets.UTF_8),
                serializer.serialize(topic, sid));
    }
}
