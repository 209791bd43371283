package io.sidstream.tokenizer.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sidstream.schemas.VideoUploaded;
import io.sidstream.schemas.serde.RegistryConfig;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.PrimitivesArrays;
import org.junit.jupiter.api.Test;

class UploadValidatorTest {

    private final UploadValidator validator =
            new UploadValidator(new DeadLetterFactory(RegistryConfig.mock("v")), "text", 3);

    private static VideoUploaded.Builder upload() {
        return VideoUploaded.newBuilder()
                .setVideoId("v1")
                .setCreatorId("c")
                .setTitle("a title")
                .setDurationMs(1)
                .setUploadTime(Instant.EPOCH);
    }

    @Test
    void acceptsTextOnlyUploadsAndFiniteNamedEmbeddings() {
        assertThat(validator.problem(upload().build())).isNull();
        assertThat(validator.problem(upload().setContentEmbedding(List.of(0.1f, 0.2f, 0.3f))
                        .setEmbeddingModel("text")
                        .build()))
                .isNull();
        assertThat(validator.problem(upload().setContentEmbedding(List.of(0.1f, 0.2f))
                        .setEmbeddingModel("other")
                        .build()))
                .isNull();
    }

    @Test
    void namesWhatIsWrong() {
        assertThat(validator.problem(upload().setVideoId(" ").build())).contains("videoId");
        assertThat(validator.problem(upload().setTitle(" ").build())).contains("no title");
        assertThat(validator.problem(upload().setContentEmbedding(List.of())
                        .setEmbeddingModel("x")
                        .build()))
                .contains("empty");
        assertThat(validator.problem(upload().setContentEmbedding(List.of(1f)).build()))
                .contains("embeddingModel");
        assertThat(validator.problem(upload().setContentEmbedding(List.of(1f, 2f))
                        .setEmbeddingModel("text")
                        .build()))
                .contains("2 dimensions");
        assertThat(validator.problem(upload().setContentEmbedding(List.of(1f, Float.POSITIVE_INFINITY, 0f))
                        .setEmbeddingModel("text")
                        .build()))
                .contains("contentEmbedding[1] is Infinity");
        assertThat(validator.problem(upload().setContentEmbedding(List.of(0f, 0f, 0f))
                        .setEmbeddingModel("text")
                        .build()))
                .contains("all zeros");
    }

    @Test
    void readsTheFloatArraysAvroDecodesInto() {
        PrimitivesArrays.FloatArray decoded =
                new PrimitivesArrays.FloatArray(3, Schema.createArray(Schema.create(Schema.Type.FLOAT)));
        decoded.add(0.5f);
        decoded.add(Float.NaN);
        decoded.add(0.25f);
        assertThat(validator.problem(upload().setContentEmbedding(decoded)
                        .setEmbeddingModel("text")
                        .build()))
                .contains("contentEmbedding[1] is NaN");
        decoded.set(1, -1f);
        assertThat(validator.problem(upload().setContentEmbedding(decoded)
                        .setEmbeddingModel("text")
                        .build()))
                .isNull();
        assertThat(VideoEvent.floats(decoded)).containsExactly(0.5f, -1f, 0.25f);
    }
}
