package io.sidstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sidstream.schemas.Device;
import io.sidstream.schemas.Engagement;
import io.sidstream.schemas.EventType;
import io.sidstream.schemas.Surface;
import io.sidstream.schemas.VideoRemoved;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WireFormatSerdeTest {

    private static final String TOPIC = "engagements";
    private RegistryConfig registry;
    private SchemaRegistryClient client;

    @BeforeEach
    void freshRegistry() {
        registry = RegistryConfig.mock("wire-" + UUID.randomUUID());
        client = SchemaRegistryClients.create(registry);
    }

    static Engagement engagement() {
        return Engagement.newBuilder()
                .setEventId("e1")
                .setUserId("u1")
                .setVideoId("v1")
                .setEventType(EventType.LIKE)
                .setSurface(Surface.SHORTS)
                .setDevice(Device.TV)
                .setCountry("BR")
                .setEventTime(Instant.parse("2026-11-01T10:00:00Z"))
                .build();
    }

    @Test
    void writesMagicByteThenTheRegisteredSchemaIdUnderTheTopicNameSubject() throws Exception {
        byte[] bytes = new AvroWireSerializer<>(client, Engagement.class, true).serialize(TOPIC, engagement());

        int id = client.getLatestSchemaMetadata(TOPIC + "-value").getId();
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(WireFormat.schemaId(bytes)).isEqualTo(id);
        assertThat(new AvroWireDeserializer<>(client, Engagement.class).deserialize(TOPIC, bytes))
                .isEqualTo(engagement());
    }

    @Test
    void reusedBuffersEncodeEachRecordAsAFreshEncoderWouldEvenAfterAFailedOne() throws Exception {
        AvroWireSerializer<Engagement> serializer = new AvroWireSerializer<>(client, Engagement.class, true);
        Engagement small = engagement();
        Engagement large = Engagement.newBuilder(small)
                .setEventId("e".repeat(5_000))
                .setContextVideoId("v9")
                .build();
        Engagement broken = new Engagement(); // required fields left null: fails half-way through the record

        for (Engagement record : List.of(large, small, large, small)) {
            assertThat(serializer.serialize(TOPIC, record)).isEqualTo(freshlyEncoded(serializer, record));
        }
        assertThatThrownBy(() -> serializer.serialize(TOPIC, broken)).isInstanceOf(SerializationException.class);
        assertThat(serializer.serialize(TOPIC, small)).isEqualTo(freshlyEncoded(serializer, small));
    }

    private static byte[] freshlyEncoded(AvroWireSerializer<Engagement> serializer, Engagement record)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(WireFormat.HEADER_SIZE);
        WireFormat.writeHeader(header, serializer.schemaId(TOPIC + "-value"));
        out.write(header.array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<>(Engagement.class).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredSchemaIsAClearError() throws Exception {
        AvroWireSerializer<Engagement> strict = new AvroWireSerializer<>(client, Engagement.class, false);
        assertThatThrownBy(() -> strict.serialize(TOPIC, engagement()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema not registered")
                .hasMessageContaining("engagements-value");

        client.register(
                TOPIC + "-value", new AvroSchema(Engagement.getClassSchema().toString()));
        assertThat(strict.serialize(TOPIC, engagement())).startsWith(0);
    }

    @Test
    void readsRecordsWrittenWithAnOlderSchemaFillingInDefaults() throws Exception {
        // an older writer that did not have watchTimeMs, videoDurationMs or contextVideoId
        Schema current = Engagement.getClassSchema();
        Schema older = Schema.createRecord(
                current.getName(),
                current.getDoc(),
                current.getNamespace(),
                false,
                current.getFields().stream()
                        .filter(f -> !List.of("watchTimeMs", "videoDurationMs", "contextVideoId")
                                .contains(f.name()))
                        .map(f -> new Schema.Field(f, f.schema()))
                        .toList());
        assertThat(older.getFields())
                .hasSize(Engagement.getClassSchema().getFields().size() - 3);
        int id = client.register(TOPIC + "-value", new AvroSchema(older.toString()));

        GenericRecord old = new GenericData.Record(older);
        old.put("eventId", "e9");
        old.put("userId", "u9");
        old.put("videoId", "v9");
        old.put(
                "eventType",
                new GenericData.EnumSymbol(older.getField("eventType").schema(), "CLICK"));
        old.put("surface", new GenericData.EnumSymbol(older.getField("surface").schema(), "HOME"));
        old.put("device", new GenericData.EnumSymbol(older.getField("device").schema(), "DESKTOP"));
        old.put("country", "FR");
        old.put("eventTime", 1_700_000_000_000L);

        Engagement read = new AvroWireDeserializer<>(client, Engagement.class).deserialize(TOPIC, wire(id, older, old));

        assertThat(read.getEventId()).isEqualTo("e9");
        assertThat(read.getEventType()).isEqualTo(EventType.CLICK);
        assertThat(read.getWatchTimeMs()).isZero();
        assertThat(read.getContextVideoId()).isNull();
        assertThat(read.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    }

    @Test
    void everyKindOfBadBytesFailsWithItsOwnCategory() throws Exception {
        byte[] valid = new AvroWireSerializer<>(client, Engagement.class, true).serialize(TOPIC, engagement());
        AvroWireDeserializer<Engagement> reader = new AvroWireDeserializer<>(client, Engagement.class);

        byte[] badMagic = valid.clone();
        badMagic[0] = 1;
        byte[] unknownId = valid.clone();
        ByteBuffer.wrap(unknownId).putInt(1, 4242);
        byte[] trailing = Arrays.copyOf(valid, valid.length + 3);
        int removalId = client.register(
                "video-removals-value",
                new AvroSchema(VideoRemoved.getClassSchema().toString()));
        byte[] otherType = valid.clone();
        ByteBuffer.wrap(otherType).putInt(1, removalId);

        Map<byte[], DecodeError> cases = Map.of(
                new byte[] {0, 1},
                DecodeError.TRUNCATED_HEADER,
                badMagic,
                DecodeError.BAD_MAGIC_BYTE,
                unknownId,
                DecodeError.UNKNOWN_SCHEMA_ID,
                Arrays.copyOf(valid, valid.length - 4),
                DecodeError.CORRUPT_PAYLOAD,
                trailing,
                DecodeError.CORRUPT_PAYLOAD,
                otherType,
                DecodeError.INCOMPATIBLE_SCHEMA);
        cases.forEach((bytes, expected) -> assertThatThrownBy(() -> reader.deserialize(TOPIC, bytes))
                .isInstanceOfSatisfying(WireFormatException.class, e -> {
                    assertThat(e.error()).isEqualTo(expected);
                    assertThat(e.error().isTransient()).isFalse();
                }));
        assertThat(reader.deserialize(TOPIC, null)).isNull();
    }

    @Test
    void anUnreachableRegistryIsATransientFailureNotABadRecord() {
        byte[] valid = new AvroWireSerializer<>(client, Engagement.class, true).serialize(TOPIC, engagement());
        // nothing listens on port 1
        RegistryConfig down = new RegistryConfig("http://127.0.0.1:1", true, Map.of());
        AvroWireDeserializer<Engagement> reader = AvroWireDeserializer.create(down, Engagement.class);

        assertThatThrownBy(() -> reader.deserialize(TOPIC, valid))
                .isInstanceOfSatisfying(WireFormatException.class, e -> {
                    assertThat(e.error()).isEqualTo(DecodeError.REGISTRY_UNAVAILABLE);
                    assertThat(e.error().isTransient()).isTrue();
                });
    }

    private static byte[] wire(int id, Schema schema, GenericRecord record) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
