package io.sidstream.flink.kafka;

import io.sidstream.schemas.serde.AvroWireSerializer;
import io.sidstream.schemas.serde.RegistryConfig;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a contract to one topic in the registry wire format, keyed as the topic catalog says (a UTF-8 string). */
public final class AvroKafkaSerializer<T extends SpecificRecordBase> implements KafkaRecordSerializationSchema<T> {

    private static final long serialVersionUID = 1L;

    private final RegistryConfig registry;
    private final Class<T> type;
    private final String topic;
    private final SerializableFunction<T, String> key;
    private transient AvroWireSerializer<T> serializer;

    public AvroKafkaSerializer(
            RegistryConfig registry, Class<T> type, String topic, SerializableFunction<T, String> key) {
        this.registry = registry;
        this.type = type;
        this.topic = topic;
        this.key = key;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        serializer = AvroWireSerializer.create(registry, type);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        if (serializer == null) {
            open(null, context);
        }
        String recordKey = key.apply(element);
        // no timestamp: the broker's write time, not the element's event time, so that retention counts from when a
        // record was written (a replay of last year's events must not be deleted the moment it lands)
        return new ProducerRecord<>(
                topic,
                null,
                null,
                recordKey == null ? null : recordKey.getBytes(StandardCharsets.UTF_8),
                serializer.serialize(topic, element));
    }
}
