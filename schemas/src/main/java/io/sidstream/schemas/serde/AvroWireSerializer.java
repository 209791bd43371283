package io.sidstream.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated Avro records in the Schema Registry wire format. The subject follows TopicNameStrategy; the
 * schema is registered on first use when auto-registration is on, and looked up otherwise. Thread-safe.
 */
public class AvroWireSerializer<T extends SpecificRecord> implements Serializer<T> {

    private final SchemaRegistryClient registry;
    private final Schema schema;
    private final AvroSchema registrySchema;
    private final DatumWriter<T> writer;
    private final boolean autoRegister;
    private final boolean forKeys;
    private final Map<String, Integer> idBySubject = new ConcurrentHashMap<>();

    public AvroWireSerializer(SchemaRegistryClient registry, Class<T> type, boolean autoRegister) {
        this(registry, type, autoRegister, false);
    }

    public AvroWireSerializer(SchemaRegistryClient registry, Class<T> type, boolean autoRegister, boolean forKeys) {
        this.registry = registry;
        this.schema = AvroTypes.schemaOf(type);
        this.registrySchema = new AvroSchema(schema.toString());
        this.writer = new SpecificDatumWriter<>(type);
        this.autoRegister = autoRegister;
        this.forKeys = forKeys;
    }

    public static <T extends SpecificRecord> AvroWireSerializer<T> create(RegistryConfig config, Class<T> type) {
        return new AvroWireSerializer<>(SchemaRegistryClients.create(config), type, config.autoRegister());
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        int id = idBySubject.computeIfAbsent(WireFormat.subject(topic, forKeys), this::schemaId);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_SIZE);
        WireFormat.writeHeader(header, id);
        out.writeBytes(header.array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** The schema id under which this writer's schema is registered for the subject. */
    public int schemaId(String subject) {
        try {
            return autoRegister ? registry.register(subject, registrySchema) : registry.getId(subject, registrySchema);
        } catch (IOException | RestClientException e) {
            throw new SerializationException((autoRegister ? "cannot register " : "schema not registered: ")
                    + schema.getFullName() + " under subject " + subject + ": " + e.getMessage(), e);
        }
    }
}
