package io.sidstream.tokenizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.schemas.RemovalReason;
import io.sidstream.schemas.VideoRemoved;
import io.sidstream.schemas.VideoUploaded;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class VideoEventTest {

    private static VideoUploaded upload() {
        return VideoUploaded.newBuilder()
                .setVideoId("v-1")
                .setCreatorId("c-1")
                .setTitle("a title")
                .setDescription("a description")
                .setTags(List.of("x", "y"))
                .setLanguage("en")
                .setDurationMs(60_000)
                .setUploadTime(Instant.ofEpochMilli(1_700_000_000_123L))
                .setContentEmbedding(List.of(0.25f, -1.5f, 3e-7f))
                .setEmbeddingModel("m")
                .build();
    }

    @Test
    void aDeadLetterGetsBackTheUploadAsItCameAfterTheEventCrossedTheShuffle() throws Exception {
        VideoEvent event = VideoEvent.of(upload());
        assertThat(event.embedding).containsExactly(0.25f, -1.5f, 3e-7f);
        assertThat(event.upload.getContentEmbedding()).isNull();

        TypeSerializer<VideoEvent> serializer = VideoEvent.TYPE.createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(event, out);
        VideoEvent received = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertThat(received.videoId).isEqualTo("v-1");
        assertThat(received.uploadTime).isEqualTo(1_700_000_000_123L);
        assertThat(received.toUpload()).isEqualTo(upload());
    }

    @Test
    void anEmbeddingTheJobComputedIsNamedByItsModelAndRemovalsCarryOnlyTheId() {
        VideoUploaded textOnly = VideoUploaded.newBuilder(upload())
                .setContentEmbedding(null)
                .setEmbeddingModel(null)
                .build();
        VideoEvent event = VideoEvent.of(textOnly, new float[] {1f, 0f}, "all-minilm-l6-v2");
        assertThat(event.toUpload().getContentEmbedding()).containsExactly(1f, 0f);
        assertThat(event.toUpload().getEmbeddingModel()).isEqualTo("all-minilm-l6-v2");
        assertThat(event.removed).isFalse();

        VideoEvent removal = VideoEvent.of(new VideoRemoved("v-2", RemovalReason.OTHER, Instant.EPOCH));
        assertThat(removal.removed).isTrue();
        assertThat(removal.videoId).isEqualTo("v-2");
        assertThat(removal.embedding).isNull();
    }
}
