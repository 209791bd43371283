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

    /** A thread's buffer larger than this after a record is dropped rather than kept for the next one. */
    private static final int MAX_RETAINED_BYTES = 1 << 20;

    private final SchemaRegistryClient registry;
    private final Schema schema;
    private final AvroSchema registrySchema;
    private final DatumWriter<T> writer;
    private final boolean autoRegister;
    private final boolean forKeys;
    private final Map<String, Integer> idBySubject = new ConcurrentHashMap<>();
    /**
     * A buffer and a buffered encoder per thread, reused: a direct encoder hands every field to the stream on its own,
     * and a fresh buffer per record grows by copying, for a {@code TrainingExample} with its 50-item history.
     */
    private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);

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
        Buffers buffer = buffers.get();
        buffer.out.reset();
        ByteBuffer header = ByteBuffer.wrap(buffer.header);
        WireFormat.writeHeader(header, id);
        buffer.out.writeBytes(buffer.header);
        try {
            buffer.encoder = EncoderFactory.get().binaryEncoder(buffer.out, buffer.encoder);
            writer.write(record, buffer.encoder);
            buffer.encoder.flush();
        } catch (IOException | RuntimeException e) {
            // the encoder may hold part of the failed record, which reusing it would flush into the next one
            buffers.remove();
            throw new SerializationException(
                    "cannot encode " + schema.getFullName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
        byte[] bytes = buffer.out.toByteArray();
        if (bytes.length > MAX_RETAINED_BYTES) {
            buffers.remove(); // one huge record must not pin its buffer for the thread's lifetime
        }
        return bytes;
    }

    /** One thread's reusable encoding state. */
    private static final class Buffers {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        final byte[] header = new byte[WireFormat.HEADER_SIZE];
        BinaryEncoder encoder;
    }

    /** The schema id under which this writer's schema is registered for the subject. */
    public int schemaId(String subject) {
        try {
            return autoRegister ? registry.register(subject, registrySchema) : registry.getId(subject, registrySchema);
        } catch (IOException | RestClientException e) {
            throw new SerializationException(
                    (autoRegister ? "cannot register " : "schema not registered: ") + schema.getFullName()
                            + " under subject " + subject + ": " + e.getMessage(),
                    e);
        }
    }
}
