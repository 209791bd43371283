package io.sidstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.schemas.CheckpointPublished;
import io.sidstream.schemas.Device;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.HistoryItem;
import io.sidstream.schemas.RequestContext;
import io.sidstream.schemas.Surface;
import io.sidstream.schemas.TrainingExample;
import io.sidstream.schemas.VideoUploaded;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.flink.avro.shaded.org.apache.avro.Schema;
import org.apache.flink.avro.shaded.org.apache.avro.generic.GenericDatumReader;
import org.apache.flink.avro.shaded.org.apache.avro.generic.GenericRecord;
import org.apache.flink.avro.shaded.org.apache.avro.io.DecoderFactory;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.flink.formats.avro.SchemaCoder;
import org.apache.flink.formats.avro.registry.confluent.ConfluentSchemaRegistryCoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bytes written by sidstream's serializer are read by Flink's Confluent registry deserialization schema, and bytes
 * written by Flink's serialization schema are read by sidstream's deserializer.
 *
 * <p>Flink's {@code ConfluentRegistryAvro(De)SerializationSchema} factories build a {@code CachedSchemaRegistryClient}
 * from a URL, which cannot be a mock:// URL; so this test composes exactly what they compose, Flink's
 * {@code RegistryAvro(De)SerializationSchema} with its {@code ConfluentSchemaRegistryCoder}, over the mock registry
 * sidstream's serde uses. Flink's classes come from the raw flink-sql-avro-confluent-registry jar on the test
 * classpath, with the Avro they were built against (relocated), so the comparison is across two Avro builds.
 */
class FlinkRegistryInteropTest {

    static Stream<SpecificRecord> records() {
        Instant t = Instant.parse("2026-11-01T08:30:00.123Z");
        return Stream.of(
                Engagement.newBuilder()
                        .setEventId("e1")
                        .setUserId("u1")
                        .setVideoId("v1")
                        .setEventType(EventType.WATCH)
                        .setWatchTimeMs(5000)
                        .setVideoDurationMs(10000)
                        .setSurface(Surface.HOME)
                        .setDevice(Device.MOBILE)
                        .setCountry("US")
                        .setEventTime(t)
                        .setContextVideoId("v0")
                        .build(),
                VideoUploaded.newBuilder()
                        .setVideoId("v1")
                        .setCreatorId("c")
                        .setTitle("t")
                        .setDescription("d")
                        .setTags(List.of("a", "b"))
                        .setLanguage(null)
                        .setDurationMs(1000)
                        .setUploadTime(t)
                        .setContentEmbedding(List.of(0.5f, Float.MIN_VALUE, -3.25f))
                        .setEmbeddingModel("m")
                        .build(),
                TrainingExample.newBuilder()
                        .setExampleId("x")
                        .setUserId("u")
                        .setContext(RequestContext.newBuilder()
                                .setSurface(Surface.SEARCH)
                                .setDevice(Device.DESKTOP)
                                .setCountry("JP")
                                .setHourOfDay(23)
                                .build())
                        .setHistory(List.of(HistoryItem.newBuilder()
                                .setVideoId("v0")
                                .setSid(List.of(1, 2, 3, 0))
                                .setEventType(EventType.SHARE)
                                .setWatchBucket(3)
                                .setSurface(Surface.SHORTS)
                                .setDevice(Device.TABLET)
                                .setTimeGapBucket(5)
                                .setEventTime(t)
                                .build()))
                        .setTargetVideoId("v1")
                        .setTargetSid(List.of(9, 8, 7, 1))
                        .setTargetEventType(EventType.LIKE)
                        .setEventTime(t)
                        .setCodebookVersion("cb")
                        .build(),
                CheckpointPublished.newBuilder()
                        .setModelName("m")
                        .setVersion(3)
                        .setUri("file:///c/3")
                        .setManifestSha256("00")
                        .setCodebookVersion("cb")
                        .setMetrics(Map.of("recall_at_10", 0.5))
                        .setDataWatermark(t)
                        .setSourceOffsets(Map.of("training-examples-1", 77L))
                        .setParentVersion(null)
                        .setPublishedTime(t)
                        .build());
    }

    @ParameterizedTest
    @MethodSource("records")
    <T extends SpecificRecord> void sidstreamBytesReadByFlinkAndFlinkBytesReadBySidstream(T record) throws Exception {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) record.getClass();
        String topic = "interop-" + type.getSimpleName();
        String subject = WireFormat.subject(topic, false);
        String scope = "interop-" + UUID.randomUUID();
        RegistryConfig registry = RegistryConfig.mock(scope);
        Schema flinkSchema = new Schema.Parser().parse(record.getSchema().toString());
        SchemaCoder.SchemaCoderProvider coder = () -> new ConfluentSchemaRegistryCoder(subject, mockClient(scope));

        // sidstream -> Flink
        byte[] ours = AvroWireSerializer.create(registry, type).serialize(topic, record);
        RegistryAvroDeserializationSchema<GenericRecord> flinkReader =
                new RegistryAvroDeserializationSchema<>(GenericRecord.class, flinkSchema, coder);
        GenericRecord readByFlink = flinkReader.deserialize(ours);
        assertThat(readByFlink).isEqualTo(referenceDecoding(record, flinkSchema));

        // Flink -> sidstream
        byte[] flinks =
                RegistryAvroSerializationSchema.forGeneric(flinkSchema, coder).serialize(readByFlink);
        assertThat(WireFormat.schemaId(flinks)).isEqualTo(WireFormat.schemaId(ours));
        assertThat(AvroWireDeserializer.create(registry, type).deserialize(topic, flinks))
                .isEqualTo(record);
    }

    private static SchemaRegistryClient mockClient(String scope) {
        return SchemaRegistryClients.create(RegistryConfig.mock(scope));
    }

    /** The record as the relocated Avro decodes its plain binary encoding: what Flink must produce, field by field. */
    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> GenericRecord referenceDecoding(T record, Schema flinkSchema)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>((Class<T>) record.getClass()).write(record, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(flinkSchema)
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }
}
