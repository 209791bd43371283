package io.sidstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sidstream.schemas.VideoUploaded;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.SchemaRegistryClient;
import org.junit.jupiter.api.Test;

/** The direct reader of uploads against Avro's own reader, and its guard on the schema's layout. */
class VideoUploadedDecoderTest {

    private static final String TOPIC = "video-uploads";

    @Test
    void theGeneratedSchemaIsTheLayoutThisDecoderWasWrittenFor() {
        assertThat(VideoUploadedDecoder.fingerprint(VideoUploaded.getClassSchema()))
                .as("VideoUploaded's fields changed: update VideoUploadedDecoder.decode and WRITTEN_FOR")
                .isEqualTo(VideoUploadedDecoder.WRITTEN_FOR);
        assertThat(VideoUploadedDecoder.reads(VideoUploaded.getClassSchema())).isTrue();
    }

    @Test
    void readsWhatAvrosWriterWroteAsAvrosReaderDoes() throws IOException {
        Random random = new Random(11);
        SpecificDatumReader<VideoUploaded> avro = new SpecificDatumReader<>(VideoUploaded.class);
        for (int i = 0; i < 200; i++) {
            VideoUploaded upload = upload(random, i);
            byte[] bytes = encode(upload);

            VideoUploaded direct =
                    VideoUploadedDecoder.decode(DecoderFactory.get().binaryDecoder(bytes, null));

            assertThat(direct).isEqualTo(avro.read(null, DecoderFactory.get().binaryDecoder(bytes, null)));
            assertThat(direct).isEqualTo(upload);
            if (upload.getContentEmbedding() != null) {
                assertThat(direct.getContentEmbedding()).isInstanceOf(PrimitivesArrays.FloatArray.class);
            }
        }
    }

    @Test
    void theWireDeserializerUsesItForTheCurrentLayoutOnlyAndKeepsItsErrors() throws Exception {
        SchemaRegistryClient client = SchemaRegistryClients.create(RegistryConfig.mock("uploads-" + UUID.randomUUID()));
        VideoUploaded upload = upload(new Random(5), 1);
        byte[] valid = new AvroWireSerializer<>(client, VideoUploaded.class, true).serialize(TOPIC, upload);
        AvroWireDeserializer<VideoUploaded> reader = new AvroWireDeserializer<>(client, VideoUploaded.class);

        assertThat(reader.deserialize(TOPIC, valid)).isEqualTo(upload);
        // an older writer without embeddingModel: Avro's resolving reader, with the field's default
        Schema current = VideoUploaded.getClassSchema();
        Schema older = Schema.createRecord(
                current.getName(),
                current.getDoc(),
                current.getNamespace(),
                false,
                current.getFields().stream()
                        .filter(f -> !f.name().equals("embeddingModel"))
                        .map(f -> new Schema.Field(f, f.schema()))
                        .toList());
        assertThat(VideoUploadedDecoder.reads(older)).isFalse();

        byte[] truncated = Arrays.copyOf(valid, valid.length - 7);
        byte[] trailing = Arrays.copyOf(valid, valid.length + 2);
        for (byte[] bad : List.of(truncated, trailing)) {
            assertThatThrownBy(() -> reader.deserialize(TOPIC, bad))
                    .isInstanceOfSatisfying(
                            WireFormatException.class,
                            e -> assertThat(e.error()).isEqualTo(DecodeError.CORRUPT_PAYLOAD));
        }
    }

    @Test
    void aUnionBranchThatDoesNotExistIsCorrupt() throws IOException {
        VideoUploaded upload = VideoUploaded.newBuilder()
                .setVideoId("v")
                .setCreatorId("c")
                .setTitle("t")
                .setDurationMs(1)
                .setUploadTime(Instant.EPOCH)
                .build();
        byte[] bytes = encode(upload);
        // the last byte is embeddingModel's branch (0, null); 4 is branch 2 in zig-zag
        bytes[bytes.length - 1] = 4;
        assertThatThrownBy(
                        () -> VideoUploadedDecoder.decode(DecoderFactory.get().binaryDecoder(bytes, null)))
                .hasMessageContaining("union branch 2 of embeddingModel");
    }

    private static VideoUploaded upload(Random random, int i) {
        List<String> tags = new ArrayList<>();
        for (int t = random.nextInt(4); t > 0; t--) {
            tags.add("tag-" + random.nextInt(100) + (t == 1 ? " ünï" : ""));
        }
        boolean embedded = i % 3 != 0;
        List<Float> embedding = null;
        if (embedded) {
            embedding = new ArrayList<>();
            for (int d = 0; d < 384; d++) {
                embedding.add((float) random.nextGaussian());
            }
        }
        return VideoUploaded.newBuilder()
                .setVideoId("video-" + i)
                .setCreatorId("creator-" + random.nextInt(50))
                .setTitle("title " + i + " 日本")
                .setDescription(i % 2 == 0 ? "" : "a description")
                .setTags(tags)
                .setLanguage(i % 4 == 0 ? null : "en")
                .setDurationMs(1_000L + random.nextInt(600_000))
                .setUploadTime(Instant.ofEpochMilli(1_700_000_000_000L + random.nextInt(1_000_000)))
                .setContentEmbedding(embedding)
                .setEmbeddingModel(embedded ? "model-384" : null)
                .build();
    }

    private static byte[] encode(VideoUploaded upload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(VideoUploaded.class).write(upload, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
