package io.sidstream.schemas.serde;

import io.sidstream.schemas.VideoUploaded;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.ParsedSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.rest.exceptions.RestClientException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Schema Registry wire-format bytes into generated Avro records, resolving the writer's schema (looked up by
 * id, cached) against the generated class's schema, so records written with an older compatible schema are read.
 * Every failure is a {@link WireFormatException} that says why. Thread-safe.
 */
public class AvroWireDeserializer<T extends SpecificRecord> implements Deserializer<T> {

    /** The registry's error code for "schema not found". */
    private static final int SCHEMA_NOT_FOUND = 40403;

    private final SchemaRegistryClient registry;
    private final Class<T> type;
    private final Schema readerSchema;
    private final SpecificData model;
    private final Map<Integer, RecordReader<T>> readerById = new ConcurrentHashMap<>();

    public AvroWireDeserializer(SchemaRegistryClient registry, Class<T> type) {
        this.registry = registry;
        this.type = type;
        this.readerSchema = AvroTypes.schemaOf(type);
        this.model = SpecificData.getForClass(type);
    }

    public static <T extends SpecificRecord> AvroWireDeserializer<T> create(RegistryConfig config, Class<T> type) {
        return new AvroWireDeserializer<>(SchemaRegistryClients.create(config), type);
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        int id = WireFormat.schemaId(bytes);
        RecordReader<T> reader = readerById.get(id);
        if (reader == null) {
            reader = reader(writerSchema(id));
            readerById.put(id, reader);
        }
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(bytes, WireFormat.HEADER_SIZE, bytes.length - WireFormat.HEADER_SIZE, null);
        T record;
        try {
            record = reader.read(decoder);
        } catch (AvroTypeException e) {
            throw new WireFormatException(
                    DecodeError.INCOMPATIBLE_SCHEMA,
                    "writer schema id " + id + " cannot be read as " + readerSchema.getFullName() + ": "
                            + e.getMessage(),
                    e);
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException(
                    DecodeError.CORRUPT_PAYLOAD,
                    "malformed Avro payload for " + readerSchema.getFullName() + " (schema id " + id + "): "
                            + describe(e),
                    e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new WireFormatException(
                        DecodeError.CORRUPT_PAYLOAD,
                        "bytes left over after a complete " + readerSchema.getName() + " (schema id " + id + ")");
            }
        } catch (IOException e) {
            throw new WireFormatException(DecodeError.CORRUPT_PAYLOAD, describe(e), e);
        }
        return record;
    }

    /** Reads one record from the decoder, which holds the bytes after the header. */
    @FunctionalInterface
    interface RecordReader<T> {
        T read(BinaryDecoder in) throws IOException;
    }

    /** Avro's resolving reader for the writer's schema, or for uploads in the current layout the direct one. */
    @SuppressWarnings("unchecked")
    RecordReader<T> reader(Schema writer) {
        if (type == VideoUploaded.class && VideoUploadedDecoder.reads(writer)) {
            return in -> (T) VideoUploadedDecoder.decode(in);
        }
        SpecificDatumReader<T> resolving = new SpecificDatumReader<>(writer, readerSchema, model);
        return in -> resolving.read(null, in);
    }

    private Schema writerSchema(int id) {
        ParsedSchema parsed;
        try {
            parsed = registry.getSchemaById(id);
        } catch (RestClientException e) {
            if (e.getErrorCode() == SCHEMA_NOT_FOUND || e.getStatus() == 404) {
                throw new WireFormatException(
                        DecodeError.UNKNOWN_SCHEMA_ID, "schema id " + id + " is not in the registry", e);
            }
            throw new WireFormatException(
                    DecodeError.REGISTRY_UNAVAILABLE,
                    "registry refused lookup of schema id " + id + ": " + e.getMessage(),
                    e);
        } catch (IOException | RuntimeException e) {
            throw new WireFormatException(
                    DecodeError.REGISTRY_UNAVAILABLE,
                    "cannot reach the registry for schema id " + id + ": " + describe(e),
                    e);
        }
        if (!"AVRO".equals(parsed.schemaType())) {
            throw new WireFormatException(
                    DecodeError.INCOMPATIBLE_SCHEMA, "schema id " + id + " is " + parsed.schemaType() + ", not Avro");
        }
        Schema writer = new Schema.Parser().parse(parsed.canonicalString());
        if (!writer.getFullName().equals(readerSchema.getFullName())) {
            throw new WireFormatException(
                    DecodeError.INCOMPATIBLE_SCHEMA,
                    "schema id " + id + " is " + writer.getFullName() + ", expected " + readerSchema.getFullName());
        }
        return writer;
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
