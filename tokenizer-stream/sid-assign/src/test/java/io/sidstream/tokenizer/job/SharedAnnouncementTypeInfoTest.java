package io.sidstream.tokenizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.schemas.CodebookPublished;
import io.sidstream.schemas.CodebookQuality;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.formats.avro.typeutils.AvroSerializer;
import org.junit.jupiter.api.Test;

class SharedAnnouncementTypeInfoTest {

    private static CodebookPublished announcement() {
        byte[] artifact = new byte[4096];
        new Random(7).nextBytes(artifact);
        return CodebookPublished.newBuilder()
                .setCodebookVersion("v1")
                .setEmbeddingModel("m")
                .setEmbeddingDim(384)
                .setLevels(3)
                .setCodesPerLevel(256)
                .setUri("inline")
                .setSha256("abc")
                .setPayload(ByteBuffer.wrap(artifact))
                .setQuality(CodebookQuality.newBuilder()
                        .setItems(10)
                        .setCodeUtilisation(List.of(1.0, 0.5, 0.25))
                        .setCollisionShare(0.01)
                        .setLargestPrefixGroup(2)
                        .setReconstructionError(0.1)
                        .build())
                .setPublishedTime(Instant.ofEpochMilli(1_700_000_000_000L))
                .build();
    }

    private final TypeSerializer<CodebookPublished> serializer =
            new SharedAnnouncementTypeInfo().createSerializer(new SerializerConfigImpl());

    @Test
    void copiesAreTheRecordItselfSoACheckpointDoesNotDuplicateTheArtifact() {
        CodebookPublished announced = announcement();
        assertThat(serializer.copy(announced)).isSameAs(announced);
        assertThat(serializer.duplicate().copy(announced, announcement())).isSameAs(announced);
    }

    @Test
    void writesWhatAvrosSerializerReadsAndTheOtherWayRound() throws Exception {
        AvroSerializer<CodebookPublished> avro = new AvroSerializer<>(CodebookPublished.class);
        DataOutputSerializer out = new DataOutputSerializer(8192);
        serializer.serialize(announcement(), out);
        assertThat(avro.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isEqualTo(announcement());

        out.clear();
        avro.serialize(announcement(), out);
        assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer())))
                .isEqualTo(announcement());
    }

    @Test
    void restoresBroadcastStateThatAvrosSerializerWrote() {
        TypeSerializerSchemaCompatibility<CodebookPublished> compatibility = new AvroSerializer<>(
                        CodebookPublished.class)
                .snapshotConfiguration()
                .resolveSchemaCompatibility(serializer.snapshotConfiguration());
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }
}
