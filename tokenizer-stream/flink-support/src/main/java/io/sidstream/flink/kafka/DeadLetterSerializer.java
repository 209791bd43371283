package io.sidstream.flink.kafka;

import io.sidstream.core.topic.Topic;
import io.sidstream.schemas.DeadLetter;
import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.schemas.serde.RegistryConfig;
import java.nio.ByteBuffer;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes each dead letter to {@code <source topic>.dlq}, under the original record's key. */
public final class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {

    private static final long serialVersionUID = 1L;

    private final RegistryConfig registry;
    private transient AvroWireSerializer<DeadLetter> serializer;

    public DeadLetterSerializer(RegistryConfig registry) {
        this.registry = registry;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serializer = AvroWireSerializer.create(registry, DeadLetter.class);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(DeadLetter letter, KafkaSinkContext context, Long timestamp) {
        if (serializer == null) {
            open(null, context);
        }
        String topic = letter.getSourceTopic() + Topic.DLQ_SUFFIX;
        // write time, as for every sidstream sink (see AvroKafkaSerializer)
        return new ProducerRecord<>(topic, null, null, bytes(letter.getKey()), serializer.serialize(topic, letter));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
